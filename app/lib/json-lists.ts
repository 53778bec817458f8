// Columns that hold a JSON list of strings (a proposal's languages and needs, a registration's
// languages, interpretation and access needs) are decoded here, where a domain reads its row, so
// that no page parses a column itself.

/** The row with the named columns decoded from JSON text into lists. */
export type WithLists<R, K extends keyof R> = Omit<R, K> & { [P in K]: string[] };

export function withLists<K extends string, R extends Record<K, string>>(row: R, columns: readonly K[]): WithLists<R, K> {
  const decoded: Record<string, unknown> = { ...row };
  for (const column of columns) decoded[column] = JSON.parse(row[column]) as string[];
  return decoded as WithLists<R, K>;
}
