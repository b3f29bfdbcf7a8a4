// Role codes of the journal (classbook-domain `Role`) and their Russian titles.

export const ROLE_TITLES: Record<string, string> = {
  admin: "администратор",
  director: "директор",
  deputy: "заместитель директора",
  teacher: "учитель",
  secretary: "секретарь",
  inspector: "проверяющий",
  student: "ученик",
  parent: "родитель",
};

/** Roles a staff member's account can have. */
export const STAFF_ROLES = ["teacher", "deputy", "director", "secretary", "admin"];
