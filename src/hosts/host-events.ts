/** The host's agent credential stopped being valid (host removed or enrolled again): its connection must close. */
export const HOST_CREDENTIAL_REVOKED = 'host.credential-revoked';

export interface HostCredentialRevokedEvent {
  hostId: string;
}
