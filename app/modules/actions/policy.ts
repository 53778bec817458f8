// Who may do what with an action item: pure rules of a Viewer and the item, used by the domain's
// commands (to allow) and queries (to show) alike.
import type { Viewer } from "../people/viewer";
import type { ActionVisibility } from "./states";

/** What these rules read of a Viewer; a whole Viewer of the item's convening fits. */
export type ActionViewer = Pick<Viewer, "id" | "organizer">;

/** The signed-in person acting on an item: a viewer with an id. */
export type Actor = Pick<Viewer, "organizer"> & { id: number };

/** The visibilities whose items this viewer sees (for queries to filter on in SQL). */
export function visibleVisibilities(viewer: ActionViewer): readonly ActionVisibility[] {
  return viewer.organizer ? ["group", "organizers"] : ["group"];
}

/** Organizers-only items are for organizers; the others for the working group. */
export function canSeeAction(viewer: ActionViewer, item: { visibility: ActionVisibility }): boolean {
  return visibleVisibilities(viewer).includes(item.visibility);
}

/** Only organizers edit an item (what, when, who, who sees it) once it exists. */
export function canEditAction(viewer: ActionViewer): boolean {
  return viewer.organizer;
}

/** Its owners (directly or through their organization) and organizers post updates and move its status. */
export function canChangeStatus(viewer: ActionViewer, item: { ownedByViewer: boolean }): boolean {
  return viewer.organizer || item.ownedByViewer;
}

/**
 * Organizers may make any confirmed participant an owner; anyone else (confirmed themself) only
 * those the directory lists, and themselves, so that choosing owners never reveals who registered.
 */
export function canChooseAnyOwner(viewer: ActionViewer): boolean {
  return viewer.organizer;
}
