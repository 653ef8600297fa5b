// Reads a fetch response's body with a byte cap: for answers from the network that the code must parse (an IdP's
// JWKS, its token endpoint's JSON), so an endless or huge body costs at most `maxBytes` of memory.

type Reader = ReturnType<NonNullable<Response['body']>['getReader']> | undefined;

/** Stops reading: the connection is freed. */
function refuse(reader: Reader): void {
  reader?.cancel().catch(() => undefined);
}

/**
 * The body as text, or undefined as soon as it is known to pass `maxBytes`: by its declared Content-Length, or by the
 * bytes streamed so far (a small declared length is never trusted).
 */
export async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  const reader = response.body?.getReader();
  if (Number(response.headers.get('content-length')) > maxBytes) {
    refuse(reader);
    return undefined;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = await reader?.read();
    if (chunk === undefined || chunk.done) return Buffer.concat(chunks).toString('utf8');
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      refuse(reader);
      return undefined;
    }
    chunks.push(chunk.value);
  }
}
