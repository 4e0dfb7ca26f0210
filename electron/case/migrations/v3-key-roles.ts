/**
 * v3: the role each grant trusts its key in (shared/keys/trust.ts KeyRole): 'log', 'witness' or
 * 'entry'. Grants made before v3 trusted a key in every role; they become 'log' grants, the
 * role nearly all of them were made for (docs/case-file.md §5). A witness or event-source key
 * trusted before v3 must be trusted again in its role. Adding a column with a default is not an
 * UPDATE, so the append-only triggers are untouched. One key may now hold one grant per origin
 * and role.
 */
export const V3_KEY_ROLES = `
ALTER TABLE trusted_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'log' CHECK (role IN ('log', 'witness', 'entry'));
DROP INDEX trusted_keys_grant;
CREATE UNIQUE INDEX trusted_keys_grant ON trusted_keys (fingerprint, ifnull(origin, ''), role);
`;
