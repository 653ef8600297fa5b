// IPv4 addresses and CIDR blocks for a custom policy's `IpAddress` / `AWS:SourceIp` condition.
// Parsing is strict (dotted decimal, no leading zeros) because the input comes from signed-but-foreign policies.

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit number, host bits cleared. */
  readonly network: number;
  readonly prefixLength: number;
}

const octet = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const addressPattern = new RegExp(`^${octet}\\.${octet}\\.${octet}\\.${octet}$`);
const prefixPattern = /^(3[0-2]|[12]?[0-9])$/;

/** A dotted-quad IPv4 address as an unsigned 32-bit number; undefined for anything else (IPv6 included). */
export function parseIpv4(text: string): number | undefined {
  const match = addressPattern.exec(text);
  if (match === null) return undefined;
  return match.slice(1).reduce((acc, part) => acc * 256 + Number(part), 0);
}

function maskOf(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/** `a.b.c.d/n` or a bare `a.b.c.d` (meaning /32, as @aws-sdk/cloudfront-signer writes it); undefined otherwise. */
export function parseIpv4Cidr(text: string): Ipv4Cidr | undefined {
  const slash = text.indexOf('/');
  const address = parseIpv4(slash === -1 ? text : text.slice(0, slash));
  const prefixText = slash === -1 ? '32' : text.slice(slash + 1);
  if (address === undefined || !prefixPattern.test(prefixText)) return undefined;
  const prefixLength = Number(prefixText);
  return { network: (address & maskOf(prefixLength)) >>> 0, prefixLength };
}

/** Canonical `a.b.c.d/n` text of a CIDR as written by the SDK: the address as given, `/32` added when bare. */
export function normaliseCidrText(text: string): string | undefined {
  if (parseIpv4Cidr(text) === undefined) return undefined;
  return text.includes('/') ? text : `${text}/32`;
}

/** True only when `clientIp` is an IPv4 address inside the block; an IPv6 client never matches an IPv4 condition. */
export function cidrContains(cidr: Ipv4Cidr, clientIp: string): boolean {
  const address = parseIpv4(clientIp);
  if (address === undefined) return false;
  return (address & maskOf(cidr.prefixLength)) >>> 0 === cidr.network;
}
