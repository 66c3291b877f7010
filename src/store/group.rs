//! Group commit for small writes that many tasks make at once (a handled update leaving the
//! journal, a timer noted): each caller still waits until its own write is done, but while one
//! batch is being written the next one collects, so under load a hundred callers cost one
//! round trip instead of a hundred, and a lone caller costs what it did before.

use std::future::Future;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use futures::FutureExt;
use tokio::sync::oneshot;

use super::{StoreError, StoreResult};

/// Items waiting for the next write, with their callers.
struct Waiting<T> {
    items: Vec<T>,
    callers: Vec<oneshot::Sender<Result<(), String>>>,
    /// A writer task is running (it takes everything queued before it finishes).
    writing: bool,
}

type Write<T> = Arc<dyn Fn(Vec<T>) -> BoxFuture<'static, StoreResult<()>> + Send + Sync>;

/// One group-committed write; `write` is called with every item queued since the last call.
pub(super) struct Group<T> {
    waiting: Arc<Mutex<Waiting<T>>>,
    write: Write<T>,
}

impl<T: Send + 'static> Group<T> {
    pub(super) fn new<F>(write: impl Fn(Vec<T>) -> F + Send + Sync + 'static) -> Self
    where
        F: Future<Output = StoreResult<()>> + Send + 'static,
    {
        let waiting = Waiting { items: Vec::new(), callers: Vec::new(), writing: false };
        Self { waiting: Arc::new(Mutex::new(waiting)), write: Arc::new(move |items| write(items).boxed()) }
    }

    /// Queues `item` and waits until a write that holds it is done.
    pub(super) async fn submit(&self, item: T) -> StoreResult<()> {
        let (done, outcome) = oneshot::channel();
        let start_writer = {
            let mut waiting = self.waiting.lock().expect("the group's lock is never poisoned");
            waiting.items.push(item);
            waiting.callers.push(done);
            !std::mem::replace(&mut waiting.writing, true)
        };
        if start_writer {
            // Its own task: a caller that gives up waiting never strands the others' items.
            tokio::spawn(write_all(self.waiting.clone(), self.write.clone()));
        }
        match outcome.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(StoreError::Batch(error)),
            Err(_) => Err(StoreError::Batch("the batch writer stopped".into())),
        }
    }
}

/// Writes what is queued, batch after batch, until nothing is left.
async fn write_all<T>(waiting: Arc<Mutex<Waiting<T>>>, write: Write<T>) {
    loop {
        let (items, callers) = {
            let mut waiting = waiting.lock().expect("the group's lock is never poisoned");
            if waiting.items.is_empty() {
                waiting.writing = false;
                return;
            }
            (std::mem::take(&mut waiting.items), std::mem::take(&mut waiting.callers))
        };
        let outcome = write(items).await.map_err(|error| error.to_string());
        for caller in callers {
            let _ = caller.send(outcome.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn callers_that_come_together_share_writes_and_each_waits_for_its_own() {
        let writes = Arc::new(Mutex::new(Vec::<Vec<u32>>::new()));
        let seen = writes.clone();
        let group = Arc::new(Group::new(move |items: Vec<u32>| {
            let seen = seen.clone();
            async move {
                tokio::task::yield_now().await;
                seen.lock().unwrap().push(items);
                Ok(())
            }
        }));
        let callers: Vec<_> = (0..50)
            .map(|i| {
                tokio::spawn({
                    let group = group.clone();
                    async move { group.submit(i).await }
                })
            })
            .collect();
        for caller in callers {
            caller.await.unwrap().expect("written");
        }
        let writes = writes.lock().unwrap();
        let mut all: Vec<u32> = writes.iter().flatten().copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..50).collect::<Vec<_>>(), "every item written exactly once");
        assert!(writes.len() < 50, "some shared a write: {} writes", writes.len());
    }

    #[tokio::test]
    async fn a_failed_write_fails_its_callers_and_the_next_batch_is_written_afresh() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        let group = Group::new(move |_items: Vec<u32>| {
            let call = counted.fetch_add(1, Ordering::SeqCst);
            async move {
                if call == 0 {
                    Err(StoreError::Protocol("down".into()))
                } else {
                    Ok(())
                }
            }
        });
        assert!(matches!(group.submit(1).await, Err(StoreError::Batch(error)) if error.contains("down")));
        group.submit(2).await.expect("the next write works");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }
}
