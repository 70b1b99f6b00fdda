/**
 * Kratos' graceful identifier normalisation (x.GracefulNormalization): trimmed, NFKC, lower-cased. Password,
 * webauthn and code identifiers and address values go through it; OIDC and SAML `provider:subject` do not.
 */
export const normalizeIdentifier = (value: string): string => value.trim().normalize('NFKC').toLowerCase();

/** How a credential type's identifiers are matched: case-insensitively for the ones people type, exactly otherwise. */
export const normalizeFor = (type: string, identifier: string): string =>
  type === 'password' || type === 'webauthn' || type === 'code' ? normalizeIdentifier(identifier) : identifier;
