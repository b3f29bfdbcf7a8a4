// The journal grid's keyboard scheme, as a pure function of a key event.
// Letters are matched by the character (Russian layout) and by the physical
// key (the same keys in the Latin layout), so a teacher need not switch layouts.
import type { AttendanceCode } from "./api";

export type GridAction =
  | { kind: "move"; rows: number; cols: number }
  | { kind: "mark"; value: string }
  | { kind: "attendance"; code: AttendanceCode | null }
  | { kind: "delete" }
  | { kind: "lesson" }
  | { kind: "history"; of: "cell" | "lesson" }
  | { kind: "finals" }
  | { kind: "work_type" };

/** What the help line under the grid shows. */
export const HELP: [string, string][] = [
  ["← ↑ → ↓", "перемещение"],
  ["Enter", "вниз"],
  ["1–5", "отметка"],
  ["Н", "«н»"],
  ["Б", "«б»"],
  ["У", "«ну»"],
  ["О", "(буква) «оп»"],
  ["0", "(ноль) был на уроке"],
  ["Delete", "удалить последнюю отметку (или посещаемость)"],
  ["В", "вид работы"],
  ["F2", "тема и домашнее задание"],
  ["F3", "история клетки (Shift+F3 — урока)"],
  ["F4", "итоги за период"],
];

const LETTERS: Record<string, GridAction> = {
  н: { kind: "attendance", code: "н" },
  KeyY: { kind: "attendance", code: "н" },
  б: { kind: "attendance", code: "б" },
  Comma: { kind: "attendance", code: "б" },
  у: { kind: "attendance", code: "ну" },
  KeyE: { kind: "attendance", code: "ну" },
  о: { kind: "attendance", code: "оп" },
  KeyJ: { kind: "attendance", code: "оп" },
  в: { kind: "work_type" },
  KeyD: { kind: "work_type" },
};

export function gridAction(event: Pick<KeyboardEvent, "key" | "code" | "shiftKey" | "ctrlKey" | "altKey" | "metaKey">): GridAction | null {
  if (event.ctrlKey || event.altKey || event.metaKey) return null;
  switch (event.key) {
    case "ArrowUp":
      return { kind: "move", rows: -1, cols: 0 };
    case "ArrowDown":
      return { kind: "move", rows: 1, cols: 0 };
    case "ArrowLeft":
      return { kind: "move", rows: 0, cols: -1 };
    case "ArrowRight":
      return { kind: "move", rows: 0, cols: 1 };
    case "Enter":
      return { kind: "move", rows: event.shiftKey ? -1 : 1, cols: 0 };
    case "Delete":
    case "Backspace":
      return { kind: "delete" };
    case "F2":
      return { kind: "lesson" };
    case "F4":
      return { kind: "finals" };
    case "F3":
      return { kind: "history", of: event.shiftKey ? "lesson" : "cell" };
    case "0":
      return { kind: "attendance", code: null };
  }
  if (/^[1-5]$/.test(event.key)) return { kind: "mark", value: event.key };
  const letter = event.key.toLowerCase();
  return LETTERS[letter] ?? (/^[a-z,]$/.test(letter) ? (LETTERS[event.code] ?? null) : null);
}
