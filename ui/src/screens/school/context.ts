// What every tab of the «Школа» screen gets from it: the structure as the
// journal has it now, names to show for ids, and `run` to save and reload.
import type { SchoolStructure, Uuid } from "../../lib/api";

/** Runs a save; on success shows `done` (or what it makes of the result)
 * and reloads the structure; on refusal shows the journal's reason.
 * Resolves to whether it succeeded, so a form knows to clear itself. */
export type Run = <T>(work: () => Promise<T>, done: string | ((result: T) => string)) => Promise<boolean>;

export const WEEKDAYS = ["Понедельник", "Вторник", "Среда", "Четверг", "Пятница", "Суббота"];

/** Names for ids, for tables and lists. */
export function names(s: SchoolStructure) {
  const classes = new Map(s.classes.map((c) => [c.id, c.name]));
  const subjects = new Map(s.subjects.map((x) => [x.id, x.name]));
  const staff = new Map(s.staff.map((x) => [x.id, x.short_name]));
  const groups = new Map(s.groups.map((g) => [g.id, g.title]));
  return {
    cls: (id: Uuid | null) => (id ? (classes.get(id) ?? "?") : ""),
    subject: (id: Uuid | null) => (id ? (subjects.get(id) ?? "?") : ""),
    staff: (id: Uuid | null) => (id ? (staff.get(id) ?? "?") : ""),
    group: (id: Uuid | null) => (id ? (groups.get(id) ?? "?") : "весь класс"),
  };
}
