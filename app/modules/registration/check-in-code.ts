// A registration's check-in code: six characters from an alphabet without look-alikes (no 0/O,
// 1/I/L), short enough to read out at the door, typed in any case and with or without spaces.
export const CHECK_IN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const CHECK_IN_CODE_LENGTH = 6;

/** A code as typed at the desk, in the stored form; null when it cannot be one. */
export function normalizeCheckInCode(typed: string): string | null {
  const code = typed.replace(/[\s-]/g, "").toUpperCase();
  if (code.length !== CHECK_IN_CODE_LENGTH) return null;
  for (const ch of code) if (!CHECK_IN_ALPHABET.includes(ch)) return null;
  return code;
}


/** The desk's address for a check-in code: what the participant's QR code carries. */
export function checkInPath(slug: string, code: string): string {
  return `/organize/${encodeURIComponent(slug)}/desk?code=${code}`;
}
