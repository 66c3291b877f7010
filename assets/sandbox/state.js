// Who the page acts as: the sandbox's users, the current one, and a generation bumped on every
// switch so answers for the user before are dropped; whether the server answers and whether it
// pushes updates. The chat, the
// composer, the pay sheet and the panel keep their own state in their modules.

export const page = {
  users: [],
  user: null, // the current user id
  gen: 0, // bumped on every user switch; stale answers are dropped
  online: true,
  live: false, // whether the server's event stream is open (live.js): then nothing is polled
};

export function currentUser() {
  return page.users.find((u) => u.id === page.user) || null;
}
