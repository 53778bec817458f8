/** A small captioned table of counts: one row per label. */
export function CountTable({ caption, rows }: { caption: string; rows: Array<{ key: string; label: string; count: number }> }) {
  return (
    <table>
      <caption>{caption}</caption>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            <th scope="row">{row.label}</th>
            <td>{row.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
