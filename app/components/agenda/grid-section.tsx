import type { ReactNode } from "react";
import { Form, useFetcher } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { GridView, PlacedSessionView } from "../../features/agenda/agenda-page";
import { CsrfInput } from "../csrf";
import { TrackSwatch } from "../track-swatch";

/** A placed session in the grid: draggable where JavaScript runs, with plain forms to unplace or pin. */
function PlacedSession({ session }: { session: PlacedSessionView }) {
  const { t } = useTranslation();
  return (
    <div
      className={`placed${session.flagged ? " placed--hard" : ""}`}
      draggable
      onDragStart={(event) => {
        event.dataTransfer.setData("text/plain", String(session.id));
        event.dataTransfer.effectAllowed = "move";
      }}
    >
      <p className="placed__title">
        {session.trackColor !== null ? <TrackSwatch color={session.trackColor} /> : null} {session.title}
      </p>
      <p className="muted">
        {t("proposal.minutes", { count: session.minutes })}
        {session.pinned ? ` · ${t("agenda.pinned")}` : ""}
        {session.flagged ? ` · ${t("agenda.hardConflict")}` : ""}
      </p>
      <div className="actions">
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="proposal" value={session.id} />
          <button type="submit" name="intent" value={session.pinned ? "unpin" : "pin"} className="link-button">
            {session.pinned ? t("agenda.unpin") : t("agenda.pin")}
          </button>
        </Form>
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="proposal" value={session.id} />
          <button type="submit" name="intent" value="unplace" className="link-button">
            {t("agenda.unplace")}
          </button>
        </Form>
      </div>
    </div>
  );
}

/** The fetcher every drop on the grid goes through; the place form shows its answer beside it. */
export const PLACE_FETCHER = "agenda-place";

/** A room's slot: a session dropped on it is placed there. */
function Cell({ slotId, roomId, anchor, children }: { slotId: number; roomId: number; anchor: string; children: ReactNode }) {
  const fetcher = useFetcher({ key: PLACE_FETCHER });
  return (
    <td
      id={anchor}
      className="cell"
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        const proposal = event.dataTransfer.getData("text/plain");
        const csrf = (document.querySelector('input[name="csrf"]') as HTMLInputElement | null)?.value ?? "";
        if (proposal) fetcher.submit({ intent: "place", proposal, slot: String(slotId), room: String(roomId), csrf }, { method: "post" });
      }}
    >
      {children}
    </td>
  );
}

/** The working agenda: a table per day, rooms across and slots down, with what is placed in each. */
export function GridSection({ grid }: { grid: GridView }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="grid-heading">
      <h2 id="grid-heading">{t("agenda.grid")}</h2>
      <p className="hint">{t("agenda.gridHint", { zone: grid.zone })}</p>
      {grid.days.map((day) => (
        <div key={day.value} className="table-wrap">
          <table className="grid">
            <caption>{day.label}</caption>
            <thead>
              <tr>
                <th scope="col">{t("agenda.time")}</th>
                {grid.rooms.map((r) => (
                  <th scope="col" key={r.id}>
                    {r.name} <span className="muted">({r.capacity})</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {day.rows.map((row) => (
                <tr key={row.slotId}>
                  <th scope="row">
                    {row.label}
                    <div className="muted">{t("proposal.minutes", { count: row.minutes })}</div>
                  </th>
                  {row.whole !== null ? (
                    <td id={row.anchor} colSpan={Math.max(1, grid.rooms.length)} className="fixed">
                      {row.whole}
                      {row.wholeSessions.map((session) => (
                        <PlacedSession key={session.id} session={session} />
                      ))}
                    </td>
                  ) : (
                    row.cells.map((cell) => (
                      <Cell key={cell.roomId} slotId={row.slotId} roomId={cell.roomId} anchor={cell.anchor}>
                        {cell.fixed !== null ? <p className="fixed">{cell.fixed}</p> : null}
                        {cell.sessions.map((session) => (
                          <PlacedSession key={session.id} session={session} />
                        ))}
                      </Cell>
                    ))
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  );
}
