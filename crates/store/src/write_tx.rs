//! A write transaction, and on SQLite the turn to write.
//!
//! SQLite allows one writer at a time. Left to itself, a second `BEGIN IMMEDIATE` waits in SQLite's
//! busy handler, which sleeps and retries with growing pauses (up to 100 ms each): under 32 officers
//! accepting at once that made the slowest accepts ten times slower than the median. Queuing the
//! writers of this process on a fair async mutex instead hands the lock over the moment it is free, in
//! arrival order; the busy timeout still covers writers in other processes.

use sqlx::{Database, Transaction};
use std::ops::{Deref, DerefMut};
use tokio::sync::OwnedMutexGuard;

pub(crate) struct WriteTx<DB: Database> {
    tx: Transaction<'static, DB>,
    /// Held until the transaction ends (SQLite only).
    _turn: Option<OwnedMutexGuard<()>>,
}

impl<DB: Database> WriteTx<DB> {
    pub(crate) fn new(tx: Transaction<'static, DB>, turn: Option<OwnedMutexGuard<()>>) -> Self {
        Self { tx, _turn: turn }
    }

    pub(crate) async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl<DB: Database> Deref for WriteTx<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        &self.tx
    }
}

impl<DB: Database> DerefMut for WriteTx<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        &mut self.tx
    }
}
