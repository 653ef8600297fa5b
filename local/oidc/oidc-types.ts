// The part of oidc-provider (v9, which ships no types) that the local stack uses; see its docs/README.md. Only
// the members local/oidc/ calls are declared, so a use beyond them fails the type check instead of going unchecked.
// (Types only; provider.ts applies them to the untyped import, which keeps the package visible to knip.)
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Grant {
  readonly jti: string;
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: readonly string[]): void;
  save(): Promise<string>;
}

export interface GrantModel {
  new (properties: { clientId: string; accountId: string }): Grant;
  find(id: string): Promise<Grant | undefined>;
}

export interface OidcContext {
  readonly client?: { readonly clientId: string };
  readonly session?: { readonly accountId?: string; grantIdFor(clientId: string): string | undefined };
  readonly result?: { readonly consent?: { readonly grantId?: string } };
  readonly requestParamScopes: ReadonlySet<string>;
  readonly requestParamClaims: ReadonlySet<string>;
  readonly provider: { readonly Grant: GrantModel };
}

export interface KoaContext {
  readonly oidc: OidcContext;
  body: unknown;
  type: string;
}

export interface Client {
  readonly clientId: string;
  grantTypeAllowed(type: string): boolean;
}

export interface Interaction {
  readonly uid: string;
  readonly prompt: { readonly name: string };
  readonly params: Readonly<Record<string, unknown>>;
}

export interface Provider {
  readonly issuer: string;
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    options?: { mergeWithLastSubmission?: boolean },
  ): Promise<void>;
  on(event: string, listener: (...args: unknown[]) => void): this;
  readonly Grant: GrantModel;
}

export interface ProviderConstructor {
  new (issuer: string, configuration: Record<string, unknown>): Provider;
}
