import { describe, expect, it } from "vitest";
import { isAnyOrganizer, isOrganizerOf, isSiteOrganizer, reviewerTrackIds, type RoleGrant } from "./permissions";

const site: RoleGrant = { role: "organizer", conveningId: null, trackId: null };
const ofOne: RoleGrant = { role: "organizer", conveningId: 1, trackId: null };
const reviewer: RoleGrant = { role: "reviewer", conveningId: 1, trackId: 7 };

describe("roles", () => {
  it("a site organizer organizes every convening and the site-wide pages", () => {
    expect([isSiteOrganizer([site]), isOrganizerOf([site], 1), isOrganizerOf([site], 2), isAnyOrganizer([site])]).toEqual([true, true, true, true]);
  });
  it("an organizer of one convening organizes only that one and not the site-wide pages", () => {
    expect([isSiteOrganizer([ofOne]), isOrganizerOf([ofOne], 1), isOrganizerOf([ofOne], 2), isAnyOrganizer([ofOne])]).toEqual([false, true, false, true]);
  });
  it("a reviewer is no organizer, and reviews only the tracks granted in that convening", () => {
    expect([isAnyOrganizer([reviewer]), isOrganizerOf([reviewer], 1)]).toEqual([false, false]);
    expect(reviewerTrackIds([reviewer], 1)).toEqual([7]);
    expect(reviewerTrackIds([reviewer], 2)).toEqual([]);
    expect(reviewerTrackIds([], 1)).toEqual([]);
  });
});
