//! The in-flight accounting on the real handler wrapper, without a dispatcher: slots taken,
//! handed over, and given back however a handler ends.

use std::pin::pin;
use std::task::Poll;

use futures::poll;
use serde_json::json;
use teloxide::dptree::deps;

use super::*;
use crate::telegram::intake::parse;

fn limits(max_in_flight: usize, max_queries_in_flight: usize) -> IntakeLimits {
    IntakeLimits { max_in_flight, max_queries_in_flight }
}

fn message() -> Update {
    let raw = json!({ "update_id": 1, "message": {
        "message_id": 5, "date": 1_700_000_000,
        "chat": { "id": 42, "type": "private", "first_name": "A" },
        "from": { "id": 42, "is_bot": false, "first_name": "A" },
        "text": "/dig",
    }});
    parse(&raw.to_string()).expect("a message")
}

fn pre_checkout() -> Update {
    let raw = json!({ "update_id": 2, "pre_checkout_query": {
        "id": "q1", "from": { "id": 42, "is_bot": false, "first_name": "A" },
        "currency": "XTR", "total_amount": 5, "invoice_payload": "crate.abc",
    }});
    parse(&raw.to_string()).expect("a pre-checkout query")
}

/// How a handler ends.
#[derive(Clone, Copy, Debug)]
enum Ending {
    Returns,
    Fails,
    Panics,
    /// Not one of the tree's branches: the dispatcher's default handler gets it.
    Unhandled,
}

fn tree(ending: Ending) -> UpdateHandler<HandlerError> {
    let endpoint = dptree::endpoint(move || async move {
        match ending {
            Ending::Returns => Ok(()),
            Ending::Fails => Err(anyhow::anyhow!("the store is down")),
            Ending::Panics => panic!("a bug in a handler"),
            Ending::Unhandled => unreachable!("filtered out"),
        }
    });
    dptree::entry().filter(move || !matches!(ending, Ending::Unhandled)).chain(endpoint)
}

/// Hands `update` over as intake does, runs it through the tracked `tree(ending)`, and checks
/// what was in flight during and after, and what the dispatcher is told.
async fn check(ending: Ending, update: Update) {
    let in_flight = InFlight::new(limits(3, 2));
    let handler = in_flight.track(tree(ending));
    let query = is_query(&update);
    let mut room = in_flight.take(1, usize::from(query)).await;
    room.hand_over(query).await;
    drop(room);
    let during = (1, usize::from(query));
    assert_eq!(in_flight.in_flight(), during, "{ending:?}, query {query}: in flight once handed over");
    assert_eq!(in_flight.free(), if query { 1 } else { 2 });

    let flow = handler.dispatch(deps![update]).await;
    assert_eq!(in_flight.in_flight(), (0, 0), "{ending:?}, query {query}: given back");
    assert_eq!(in_flight.free(), 2, "{ending:?}, query {query}: every slot free again");
    let (all, queries) = (&in_flight.inner.updates, &in_flight.inner.queries);
    assert_eq!((all.free(), queries.free()), (3, 2), "{ending:?}: no slot more or less than the limits");
    match (ending, flow) {
        (Ending::Returns, ControlFlow::Break(Ok(()))) | (Ending::Unhandled, ControlFlow::Continue(_)) => {}
        (Ending::Fails, ControlFlow::Break(Err(error))) => assert_eq!(error.to_string(), "the store is down"),
        (Ending::Panics, ControlFlow::Break(Err(error))) => {
            assert_eq!(error.to_string(), "the handler panicked: a bug in a handler")
        }
        (ending, flow) => panic!("{ending:?} ended as {:?}", flow.map_continue(|_| ())),
    }
}

#[tokio::test]
async fn every_way_a_handler_ends_gives_its_slots_back() {
    for ending in [Ending::Returns, Ending::Fails, Ending::Panics, Ending::Unhandled] {
        check(ending, message()).await;
        check(ending, pre_checkout()).await;
    }
}

#[tokio::test]
async fn a_handler_dropped_midway_gives_its_slot_back() {
    let in_flight = InFlight::new(limits(2, 2));
    let handler = in_flight.track(dptree::endpoint(futures::future::pending::<Result<(), HandlerError>>));
    let mut room = in_flight.take(1, 1).await;
    room.hand_over(true).await;
    {
        let mut running = pin!(handler.dispatch(deps![pre_checkout()]));
        assert!(poll!(running.as_mut()).is_pending());
        assert_eq!(in_flight.in_flight(), (1, 1));
    }
    assert_eq!(in_flight.in_flight(), (0, 0));
    assert_eq!(in_flight.free(), 2);
}

#[tokio::test]
async fn at_the_limit_taking_waits_until_a_handler_finishes() {
    let in_flight = InFlight::new(limits(3, 1));
    let handler = in_flight.track(tree(Ending::Returns));
    // One query in flight fills the query pool: another query waits, a message does not.
    let mut room = in_flight.take(1, 1).await;
    room.hand_over(true).await;
    assert_eq!(in_flight.free(), 0, "no room for a batch that might hold a query");
    let mut next_query = pin!(in_flight.take(1, 1));
    assert!(poll!(next_query.as_mut()).is_pending());
    let mut message_room = in_flight.take(1, 0).await;
    message_room.hand_over(false).await;
    assert_eq!(in_flight.in_flight(), (2, 1));

    assert!(handler.dispatch(deps![pre_checkout()]).await.is_break());
    let Poll::Ready(mut room) = poll!(next_query.as_mut()) else { panic!("the query's slot came back") };
    room.hand_over(true).await;
    assert_eq!(in_flight.in_flight(), (2, 1));
    // The last slot of the overall pool goes to a message; then a batch of any kind waits.
    let mut last = in_flight.take(1, 0).await;
    last.hand_over(false).await;
    assert_eq!(in_flight.in_flight(), (3, 1));
    let mut more = pin!(in_flight.take(1, 0));
    assert!(poll!(more.as_mut()).is_pending());
    assert!(handler.dispatch(deps![message()]).await.is_break());
    assert!(poll!(more.as_mut()).is_ready());
}

#[tokio::test]
async fn slots_taken_and_not_handed_over_go_back() {
    let in_flight = InFlight::new(limits(4, 2));
    let mut room = in_flight.take(3, 2).await;
    room.hand_over(true).await;
    assert_eq!(in_flight.free(), 0, "the batch holds the rest of the query pool");
    drop(room);
    assert_eq!(in_flight.in_flight(), (1, 1));
    assert_eq!((in_flight.inner.updates.free(), in_flight.inner.queries.free()), (3, 1));
    // A batch larger than its count takes the next slot as it is handed over.
    let mut room = in_flight.take(1, 0).await;
    room.hand_over(false).await;
    room.hand_over(false).await;
    assert_eq!(in_flight.in_flight(), (3, 1));
}

#[tokio::test]
async fn a_finish_without_a_hand_over_adds_no_slot() {
    let in_flight = InFlight::new(limits(2, 1));
    let handler = in_flight.track(tree(Ending::Returns));
    assert!(handler.dispatch(deps![pre_checkout()]).await.is_break());
    assert_eq!(in_flight.in_flight(), (0, 0));
    assert_eq!((in_flight.inner.updates.free(), in_flight.inner.queries.free()), (2, 1));
}

#[tokio::test]
async fn a_fetch_waits_for_room_and_asks_for_what_fits() {
    let in_flight = InFlight::new(limits(4, 4));
    assert_eq!(in_flight.room_to_fetch(2, Duration::ZERO).await, 4);
    let handler = in_flight.track(tree(Ending::Returns));
    let mut room = in_flight.take(4, 4).await;
    for _ in 0..4 {
        room.hand_over(true).await;
    }
    let mut fetch = pin!(in_flight.room_to_fetch(2, Duration::ZERO));
    assert!(poll!(fetch.as_mut()).is_pending(), "no fetch while everything is in flight");
    assert!(handler.dispatch(deps![pre_checkout()]).await.is_break());
    assert_eq!(fetch.await, 1, "one finished: a batch of one fits");
}
