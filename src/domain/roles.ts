/** The Wellflow roles a token can carry, lowest to highest: a person, crisis staff, an operator. */
export const ROLES = ['user', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];
