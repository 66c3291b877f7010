//! The sandbox page's event stream, `GET /sandbox/api/events?user=<id>` (Server-Sent Events):
//! a small event whenever something the page shows changes, so it fetches it at once instead of
//! polling — `chat` (that user's chat: `messages`, the next message id, moves on with a new
//! message; `edits` with an edit or deletion), `ledger` (`transactions`, the Star ledger's
//! length) and `reload` (`generation` of the reload status). Each is sent once when the stream
//! opens, so a page that reconnects (EventSource does, after `retry`) catches up.
//!
//! The stream waits on the emulator's change counter and the reload status (both `watch`
//! channels, so no change between two looks is missed). It never ends by itself: the HTTP
//! server counts an answer being streamed as an idle connection, which it closes at its idle
//! timeout (the page reconnects) and at once when `serve` stops.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::watch;

use super::control::Sandbox;
use crate::reload::ReloadStatus;

/// How soon a page reconnects after the stream breaks.
const RETRY: Duration = Duration::from_millis(1000);

#[derive(Deserialize)]
pub(super) struct EventsFor {
    user: i64,
}

/// What the page has been told so far (None: nothing yet).
#[derive(Default)]
struct Told {
    chat: Option<(i64, u64)>,
    ledger: Option<usize>,
    reload: Option<u64>,
    retry: bool,
}

struct Watching {
    sandbox: Sandbox,
    user: i64,
    told: Told,
    emulator: watch::Receiver<u64>,
    reload: watch::Receiver<ReloadStatus>,
}

pub(super) async fn stream(
    State(sandbox): State<Sandbox>,
    Query(EventsFor { user }): Query<EventsFor>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let watching = Watching {
        emulator: sandbox.emulator.subscribe(),
        reload: sandbox.catalog.subscribe(),
        sandbox,
        user,
        told: Told::default(),
    };
    let events = futures::stream::unfold(watching, |mut watching| async move {
        loop {
            if let Some(event) = watching.next_event() {
                return Some((Ok(event), watching));
            }
            let (emulator, reload) = (&mut watching.emulator, &mut watching.reload);
            let gone = tokio::select! {
                changed = emulator.changed() => changed.is_err(),
                changed = reload.changed() => changed.is_err(),
            };
            if gone {
                return None;
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::default())
}

impl Watching {
    /// The first thing the page has not been told yet, if any.
    fn next_event(&mut self) -> Option<Event> {
        // The changes so far are marked seen before the state is read, so a change made
        // meanwhile wakes the stream again.
        self.emulator.borrow_and_update();
        let generation = self.reload.borrow_and_update().generation;
        let emulator = &self.sandbox.emulator;
        let chat = emulator.chat_revision(self.user);
        let ledger = emulator.ledger_len();
        let event = if self.told.chat != Some(chat) {
            self.told.chat = Some(chat);
            let (messages, edits) = chat;
            Event::default()
                .event("chat")
                .data(json!({ "user": self.user, "messages": messages, "edits": edits }).to_string())
        } else if self.told.ledger != Some(ledger) {
            self.told.ledger = Some(ledger);
            Event::default().event("ledger").data(json!({ "transactions": ledger }).to_string())
        } else if self.told.reload != Some(generation) {
            self.told.reload = Some(generation);
            Event::default().event("reload").data(json!({ "generation": generation }).to_string())
        } else {
            return None;
        };
        Some(match std::mem::replace(&mut self.told.retry, true) {
            false => event.retry(RETRY),
            true => event,
        })
    }
}
