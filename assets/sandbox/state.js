// Who the page acts as: the sandbox's users, the current one, and a generation bumped on every
// switch so answers for the user before are dropped; whether the server answers. The chat, the
// composer, the pay sheet and the panel keep their own state in their modules.

export const page = {
  users: [],
  user: null, // the current user id
  gen: 0, // bumped on every user switch; stale answers are dropped
  online: true,
};

export function currentUser() {
  return page.users.find((u) => u.id === page.user) || null;
}
