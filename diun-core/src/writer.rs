//! Serialised writes and the group-commit ingest writer.
//!
//! SQLite admits one writer at a time, so every write of the store goes
//! through [`Writes::exclusive`]: callers queue in-process instead of in
//! SQLite's busy loop, and nobody ever sees "database is locked".
//!
//! Ingests, which arrive in bursts (ten at a time per DIUN host, hundreds
//! per run), go further: [`IngestQueue`] hands them to one task that writes
//! everything queued so far in a single transaction and answers each caller
//! only after that transaction has committed. A success therefore still
//! means "in the database", while a burst of N events costs one commit
//! instead of N.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use tokio::sync::{Mutex, MutexGuard, mpsc, oneshot};

use crate::{DiunEvent, Error, EventRecord, Result, clock, updates::write_events};

/// The most events written in one transaction.
const MAX_BATCH: usize = 256;
/// Events waiting for the writer before submitters wait too (backpressure).
const QUEUE_CAPACITY: usize = 4096;

/// The store's write gate and its revision counter.
#[derive(Default)]
pub(crate) struct Writes {
    lock: Mutex<()>,
    revision: AtomicU64,
}

impl Writes {
    /// Waits for the right to write. Dropping the guard, after the write's
    /// commit (or failure), advances [`Writes::revision`]: a failed write
    /// only costs readers one needless refresh, and no write can forget it.
    pub(crate) async fn exclusive(&self) -> WriteGuard<'_> {
        WriteGuard {
            _lock: self.lock.lock().await,
            revision: &self.revision,
        }
    }

    /// A number that changes after every committed write, so readers can
    /// tell whether what they cached is still current.
    pub(crate) fn revision(&self) -> u64 {
        self.revision.load(Ordering::Acquire)
    }
}

/// The right to write; see [`Writes::exclusive`].
pub(crate) struct WriteGuard<'a> {
    _lock: MutexGuard<'a, ()>,
    revision: &'a AtomicU64,
}

impl Drop for WriteGuard<'_> {
    fn drop(&mut self) {
        self.revision.fetch_add(1, Ordering::Release);
    }
}

/// One ingest waiting for its commit.
struct Job {
    event: DiunEvent,
    reply: oneshot::Sender<Result<EventRecord>>,
}

/// The submitting side of the ingest writer.
pub(crate) struct IngestQueue {
    jobs: mpsc::Sender<Job>,
}

impl IngestQueue {
    /// Starts the writer task on the current tokio runtime. It ends when
    /// the queue is dropped.
    pub(crate) fn start(db: DatabaseConnection, writes: Arc<Writes>) -> Self {
        let (jobs, rx) = mpsc::channel(QUEUE_CAPACITY);
        tokio::spawn(run(rx, db, writes));
        Self { jobs }
    }

    /// Queues `event` and waits until it is committed.
    pub(crate) async fn submit(&self, event: DiunEvent) -> Result<EventRecord> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { event, reply })
            .await
            .map_err(|_| writer_gone())?;
        answer.await.map_err(|_| writer_gone())?
    }
}

fn writer_gone() -> Error {
    Error::Db(DbErr::Custom("the ingest writer has stopped".into()))
}

/// The writer loop: take everything queued (up to [`MAX_BATCH`]), write it
/// in one transaction, answer every caller.
async fn run(mut rx: mpsc::Receiver<Job>, db: DatabaseConnection, writes: Arc<Writes>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let results = {
            let _writer = writes.exclusive().await;
            match write_batch(&db, &batch).await {
                Ok(records) => records.into_iter().map(Ok).collect(),
                // Nothing of the batch was committed; write each event on
                // its own so that one failure fails only its own caller.
                Err(_) => {
                    let mut results = Vec::with_capacity(batch.len());
                    for job in &batch {
                        let result = write_batch(&db, std::slice::from_ref(job)).await;
                        results.push(result.map(|mut records| records.remove(0)));
                    }
                    results
                }
            }
        };
        // Answered only now that the guard is dropped, so a caller that
        // reads right after its 2xx already sees the new revision.
        for (job, result) in batch.drain(..).zip(results) {
            let _ = job.reply.send(result);
        }
    }
}

/// Writes `jobs` in one transaction; all or nothing.
async fn write_batch(db: &DatabaseConnection, jobs: &[Job]) -> Result<Vec<EventRecord>> {
    let received_at = clock::now_rfc3339();
    let events: Vec<&DiunEvent> = jobs.iter().map(|job| &job.event).collect();
    let txn = db.begin().await?;
    let ids = write_events(&txn, &events, &received_at).await?;
    txn.commit().await?;
    Ok(ids
        .into_iter()
        .zip(jobs)
        .map(|(id, job)| EventRecord {
            id,
            received_at: received_at.clone(),
            event: job.event.clone(),
        })
        .collect())
}
