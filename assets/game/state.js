// The page's state, in three small objects that the modules which change them import: what
// shows (`ui`), the skin the page wears (`look`) and what the API last answered (`data`).
// A run's own state lives with the run loop (play.js).

// The screen showing (screens.js changes it) and whether an action waits for the server (one at
// a time: Play, Start/Use, the skin pill).
export const ui = { screen: 'loading', busy: false };

// The skin the page and the next run wear.
export const look = { skin: 'classic' };

// /api/me, /api/shop and /api/top as last loaded (session.js).
export const data = { me: null, shop: null, top: null };
