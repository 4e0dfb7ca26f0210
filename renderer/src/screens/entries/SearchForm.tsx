/** The search form: text always; in a case, the field filters and the time range too. */
import { canSearch, type SearchFields } from './search.js';
import type { Search } from './useSearch.js';

export function SearchForm({ search, indexed }: { search: Search; indexed: boolean }) {
  const { fields, setField, searching } = search;
  return (
    <form onSubmit={search.submitSearch} className="search-form" data-testid="search-form">
      <input
        type="search"
        name="search"
        placeholder={indexed ? 'Words, "a phrase", prefix*, -exclude' : 'Text in the entry line'}
        value={fields.text}
        onChange={(e) => setField('text', e.target.value)}
        aria-label="search text"
      />
      {indexed ? <FilterFields fields={fields} setField={setField} /> : null}
      {/* Two buttons, never one in the other's place: a late click on Cancel cannot start a search. */}
      <button
        type="submit"
        className="primary"
        disabled={searching || !canSearch(fields, indexed)}
        data-testid="run-search"
      >
        {searching ? 'Searching…' : 'Search'}
      </button>
      {searching ? (
        <button type="button" className="danger" onClick={search.cancelSearch} data-testid="cancel-search">
          Cancel
        </button>
      ) : null}
      <span className="muted small">
        {indexed
          ? 'indexed search of this case (times in UTC)'
          : 'no case index: the entries file is read line by line'}
      </span>
    </form>
  );
}

function FilterFields({
  fields,
  setField,
}: {
  fields: SearchFields;
  setField: (k: keyof SearchFields, v: string) => void;
}) {
  return (
    <>
      <input
        name="f-actor"
        placeholder="actor"
        value={fields.actor}
        onChange={(e) => setField('actor', e.target.value)}
      />
      <input
        name="f-action"
        placeholder="action"
        value={fields.action}
        onChange={(e) => setField('action', e.target.value)}
      />
      <input
        name="f-target"
        placeholder="target"
        value={fields.target}
        onChange={(e) => setField('target', e.target.value)}
      />
      <input
        type="datetime-local"
        step={1}
        name="f-from"
        value={fields.from}
        onChange={(e) => setField('from', e.target.value)}
        aria-label="from (UTC)"
        title="from (UTC, inclusive)"
      />
      <input
        type="datetime-local"
        step={1}
        name="f-to"
        value={fields.to}
        onChange={(e) => setField('to', e.target.value)}
        aria-label="to (UTC)"
        title="to (UTC, inclusive)"
      />
    </>
  );
}
