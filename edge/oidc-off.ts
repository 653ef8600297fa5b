// What `edgepass:oidc` provides to a bundle whose config has no `oidc` section: no sign-in flow, so none of its code.
export const oidcFlow = null;
