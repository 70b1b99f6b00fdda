/**
 * The request bodies of the identity endpoints as Kratos' Go structs declare them (identity/handler.go), for the
 * Go-style decoder: which fields exist, of which type. Anything else in a strictly decoded body is a 400.
 */
import { arrayOf, bool, bytes, int, nullTime, nullUuid, raw, str, strings, struct, time, type StructShape } from './go-decode.js';

const webAuthnCredential: StructShape = {
  goName: 'identity.CredentialWebAuthn',
  fields: {
    id: bytes,
    public_key: bytes,
    attestation_type: str(),
    authenticator: struct({ goName: 'identity.AuthenticatorWebAuthn', fields: { aaguid: bytes, sign_count: int('uint32', 0, 2 ** 32 - 1), clone_warning: bool } }),
    display_name: str(),
    added_at: time,
    is_passwordless: bool,
    flags: struct({ goName: 'identity.CredentialWebAuthnFlags', fields: { user_present: bool, user_verified: bool, backup_eligible: bool, backup_state: bool } }),
    transport: strings,
    attestation: struct({
      goName: 'identity.CredentialWebAuthnAttestation',
      fields: { client_dataJSON: bytes, client_data_hash: bytes, authenticator_data: bytes, public_key_algorithm: int('int64'), object: bytes },
    }),
  },
};

const webAuthnImport = (goName: string): StructShape => ({
  goName,
  fields: {
    config: struct({ goName: `${goName}Config`, fields: { credentials: arrayOf(struct(webAuthnCredential, false), 'identity.CredentialsWebAuthn'), user_handle: bytes } }, false),
  },
});

const providers = (goName: string, autoLink: boolean): StructShape => ({
  goName,
  fields: {
    config: struct(
      {
        goName: `${goName}Config`,
        fields: {
          providers: arrayOf(
            struct({ goName: `${goName}Provider`, fields: { subject: str(), provider: str(), organization: nullUuid, ...(autoLink ? { use_auto_link: bool } : {}) } }, false),
            `[]${goName}Provider`,
          ),
        },
      },
      false,
    ),
  },
});

const credentialsImport: StructShape = {
  goName: 'identity.IdentityWithCredentials',
  fields: {
    password: struct({
      goName: 'identity.AdminIdentityImportCredentialsPassword',
      fields: {
        config: struct({ goName: 'identity.AdminIdentityImportCredentialsPasswordConfig', fields: { hashed_password: str(), password: str(), use_password_migration_hook: bool } }, false),
      },
    }),
    oidc: struct(providers('identity.AdminIdentityImportCredentialsOIDC', true)),
    saml: struct(providers('identity.AdminIdentityImportCredentialsSAML', false)),
    totp: struct({ goName: 'identity.AdminIdentityImportCredentialsTOTP', fields: { config: struct({ goName: 'identity.AdminIdentityImportCredentialsTOTPConfig', fields: { totp_url: str() } }, false) } }),
    webauthn: struct(webAuthnImport('identity.AdminIdentityImportCredentialsWebAuthn')),
    passkey: struct(webAuthnImport('identity.AdminIdentityImportCredentialsPasskey')),
    lookup_secret: struct({
      goName: 'identity.AdminIdentityImportCredentialsLookupSecret',
      fields: {
        config: struct(
          {
            goName: 'identity.AdminIdentityImportCredentialsLookupSecretConfig',
            fields: { codes: arrayOf(struct({ goName: 'identity.RecoveryCode', fields: { code: str(), used_at: nullTime } }, false), '[]identity.RecoveryCode') },
          },
          false,
        ),
      },
    }),
  },
};

const verifiableAddress: StructShape = {
  goName: 'identity.VerifiableAddress',
  fields: {
    id: nullUuid,
    value: str(),
    verified: bool,
    via: str(),
    status: str('identity.VerifiableAddressStatus'),
    verified_at: nullTime,
    created_at: time,
    updated_at: time,
  },
};

const recoveryAddress: StructShape = {
  goName: 'identity.RecoveryAddress',
  fields: { id: nullUuid, value: str(), via: str(), break_glass_for_organization: nullUuid, created_at: time, updated_at: time },
};

export const createIdentityBody: StructShape = {
  goName: 'identity.CreateIdentityBody',
  fields: {
    schema_id: str(),
    traits: raw,
    credentials: struct(credentialsImport),
    verifiable_addresses: arrayOf(struct(verifiableAddress, false), '[]identity.VerifiableAddress'),
    recovery_addresses: arrayOf(struct(recoveryAddress, false), '[]identity.RecoveryAddress'),
    metadata_public: raw,
    metadata_admin: raw,
    state: str('identity.State'),
    organization_id: nullUuid,
    external_id: str(),
    region: str('region.Region'),
  },
};

export const updateIdentityBody: StructShape = {
  goName: 'identity.UpdateIdentityBody',
  fields: {
    schema_id: str(),
    traits: raw,
    credentials: struct(credentialsImport),
    metadata_public: raw,
    metadata_admin: raw,
    state: str('identity.State'),
    external_id: str(),
    region: str('region.Region'),
  },
};

export const batchPatchBody: StructShape = {
  goName: 'identity.BatchPatchIdentitiesBody',
  fields: {
    identities: arrayOf(struct({ goName: 'identity.BatchIdentityPatch', fields: { create: struct(createIdentityBody), patch_id: nullUuid } }), '[]*identity.BatchIdentityPatch'),
  },
};

/** A stored credential as a JSON patch leaves it. */
export const storedCredential: StructShape = {
  goName: 'identity.Credentials',
  fields: { type: str('identity.CredentialsType'), identifiers: strings, config: raw, version: int('int'), created_at: time, updated_at: time },
};

/** The identity as a JSON patch leaves it, read back leniently (unknown fields ignored) as Kratos unmarshals it. */
export const patchedIdentity: StructShape = {
  goName: 'identity.WithCredentialsAndAdminMetadataInJSON',
  fields: {
    id: str('uuid.UUID'),
    external_id: str('sqlxx.NullString'),
    credentials: { kind: 'raw' },
    schema_id: str(),
    schema_url: str(),
    state: str('identity.State'),
    state_changed_at: nullTime,
    traits: raw,
    verifiable_addresses: arrayOf(struct(verifiableAddress, false), '[]identity.VerifiableAddress'),
    recovery_addresses: arrayOf(struct(recoveryAddress, false), '[]identity.RecoveryAddress'),
    metadata_public: raw,
    metadata_admin: raw,
    created_at: time,
    updated_at: time,
    organization_id: nullUuid,
    region: str('region.Region'),
  },
};
