/** Triggers that refuse UPDATE and DELETE on a table: records of what happened are never changed. */
export function appendOnly(table: string): string {
  return `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, 'proofdesk: ${table} is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, 'proofdesk: ${table} is append-only'); END;`;
}
