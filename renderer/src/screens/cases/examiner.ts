/** The examiner's name, remembered between windows so the custody journal's actor is typed once. */
const EXAMINER_KEY = 'proofdesk-examiner';

export function rememberedExaminer(): string {
  try {
    return localStorage.getItem(EXAMINER_KEY) ?? '';
  } catch {
    return '';
  }
}

export function remember(name: string): void {
  try {
    localStorage.setItem(EXAMINER_KEY, name);
  } catch {
    // storage unavailable: asked again next time
  }
}
