// Serves the provider below `/_dev/oidc` on the dev IdP server. The emulator, like CloudFront in front of a custom
// origin, sends the origin's own Host; oidc-provider builds every URL (discovery, redirects, form actions) from the
// request's host, so the Host is pinned to the issuer's here, and the prefix is stripped the way a mounting framework
// does (originalUrl keeps it: oidc_context.js urlFor reads the mount path from it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from './oidc-types.ts';
import { interactionRoute, runInteraction } from './interaction.ts';
import { OIDC_PREFIX } from './issuer.ts';

export interface MountedProvider {
  readonly provider: Provider;
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/** True when the dev IdP server should hand `path` to the provider. */
export function isOidcPath(path: string): boolean {
  return path === OIDC_PREFIX || path.startsWith(`${OIDC_PREFIX}/`);
}

export function mountProvider(provider: Provider): MountedProvider {
  const host = new URL(provider.issuer).host;
  const callback = provider.callback();
  return {
    provider,
    handle: async (req, res) => {
      const original = req.url ?? OIDC_PREFIX;
      const rest = original.slice(OIDC_PREFIX.length);
      req.headers.host = host;
      Object.assign(req, { originalUrl: original });
      req.url = rest.startsWith('/') ? rest : `/${rest}`;
      const route = interactionRoute(new URL(req.url, 'http://localhost').pathname);
      if (route === undefined) await callback(req, res);
      else await runInteraction(provider, route, req, res);
    },
  };
}
