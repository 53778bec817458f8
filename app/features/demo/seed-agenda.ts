// The demo's agenda: rooms, two days of slots with plenaries, breaks and lunch, the accepted
// sessions placed by the scheduler, and the result published as version 1.
import { acceptSuggestion, suggestNow } from "../../modules/agenda/suggestions.server";
import { publishAgenda } from "../../modules/agenda/publish.server";
import { addFixedItem, addRoom, addSlot } from "../../modules/agenda/setup.server";
import type { DB } from "../../platform/db.server";

export async function seedAgenda(db: DB, input: { conveningId: number; organizerId: number; days: [string, string]; now: Date }) {
  const base = { conveningId: input.conveningId, organizerId: input.organizerId };
  await addRoom(db, { ...base, name: "Main hall", capacity: 120, features: ["step_free", "interpretation", "captioning", "projector"] });
  await addRoom(db, { ...base, name: "Room A", capacity: 40, features: ["step_free", "projector"] });
  await addRoom(db, { ...base, name: "Room B", capacity: 35, features: ["step_free", "captioning"] });
  await addRoom(db, { ...base, name: "Room C", capacity: 25, features: ["step_free", "projector"] });
  await addRoom(db, { ...base, name: "Garden room", capacity: 20, features: [] });

  const [first, second] = input.days;
  const slot = (date: string, time: string, minutes: number) => addSlot(db, { ...base, date, time, minutes });
  const opening = await slot(first, "09:00", 60);
  await slot(first, "10:15", 90);
  await slot(first, "12:00", 90);
  const lunch1 = await slot(first, "13:30", 60);
  await slot(first, "14:45", 90);
  await slot(first, "16:30", 90);
  await slot(second, "09:30", 90);
  await slot(second, "11:15", 90);
  const lunch2 = await slot(second, "12:45", 60);
  await slot(second, "14:00", 90);
  const closing = await slot(second, "15:45", 60);
  await addFixedItem(db, { ...base, slotId: opening, roomId: null, title: "Opening plenary: one movement, six tracks", kind: "plenary" });
  await addFixedItem(db, { ...base, slotId: lunch1, roomId: null, title: "Lunch", kind: "meal" });
  await addFixedItem(db, { ...base, slotId: lunch2, roomId: null, title: "Lunch", kind: "meal" });
  await addFixedItem(db, { ...base, slotId: closing, roomId: null, title: "Closing plenary: commitments for the year ahead", kind: "plenary" });

  const suggestion = await suggestNow(db, { ...base, keep: false, fairness: false, now: input.now });
  await acceptSuggestion(db, { ...base, jobId: suggestion.id });
  return publishAgenda(db, { ...base, note: "First version of the agenda.", now: input.now });
}
