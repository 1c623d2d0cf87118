// 1234567 -> "1,234,567" without Intl: the first toLocaleString() in a process loads ICU data
// (~25 ms), which a PAM hook that opens a store at every start should not pay.
export function groupDigits(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
