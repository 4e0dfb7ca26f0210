/** What a range verification counts, in the order the result lists them. */
export function newCounters() {
  return {
    entries: 0,
    malformed: 0,
    linksChecked: 0,
    linksBroken: 0,
    seqChecked: 0,
    seqProblems: 0,
    tsChecked: 0,
    tsRegressions: 0,
    signatures: 0,
    signaturesValid: 0,
    signaturesInvalid: 0,
    signaturesUntrusted: 0,
    signaturesOutsideWindow: 0,
    signaturesUndated: 0,
    tooLarge: 0,
  };
}

export type RangeCounters = ReturnType<typeof newCounters>;
