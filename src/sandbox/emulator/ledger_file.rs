//! The sandbox's Star ledger on disk: one JSON line per transaction, appended as it happens and
//! read back at start, so a sandbox restart keeps the ledger its Redis (under `./data/`) was
//! checked against — otherwise the bot's ledger check would void every earlier purchase.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use super::payments::{Charge, Transaction};
use super::state::State;

pub(crate) struct LedgerFile {
    file: File,
}

impl LedgerFile {
    /// Opens (creating) the file and returns the transactions it already holds, oldest first.
    /// A torn last line (a crash mid-write) is skipped; any other bad line is an error.
    pub fn open(path: &Path) -> std::io::Result<(Self, Vec<Transaction>)> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = OpenOptions::new().create(true).read(true).append(true).open(path)?;
        let lines: Vec<String> = BufReader::new(&file).lines().collect::<Result<_, _>>()?;
        let last = lines.len().saturating_sub(1);
        let mut transactions = Vec::with_capacity(lines.len());
        let mut whole = 0;
        for (number, line) in lines.iter().enumerate() {
            match serde_json::from_str::<Transaction>(line) {
                Ok(transaction) => {
                    transactions.push(transaction);
                    whole += line.len() as u64 + 1;
                }
                Err(_) if number == last => {
                    // Cut it off, so the next entry starts on a line of its own.
                    tracing::warn!(path = %path.display(), "dropped a torn last ledger line");
                    file.set_len(whole)?;
                }
                Err(error) => {
                    let message = format!("{}:{}: {error}", path.display(), number + 1);
                    return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, message));
                }
            }
        }
        let mut file = file;
        if file.metadata()?.len() < whole {
            // The last entry is whole but its newline never made it to disk.
            writeln!(file)?;
        }
        Ok((Self { file }, transactions))
    }

    fn append(&mut self, transaction: &Transaction) {
        let line = serde_json::to_string(transaction).unwrap_or_default();
        if let Err(error) = writeln!(self.file, "{line}") {
            tracing::error!(%error, "could not write the sandbox's Star ledger");
        }
    }
}

impl State {
    /// Takes over a ledger read from disk (and the charges it implies) and keeps appending to it.
    pub(crate) fn restore_ledger(&mut self, file: LedgerFile, transactions: Vec<Transaction>) {
        for transaction in &transactions {
            if transaction.incoming {
                let charge = Charge {
                    user: transaction.user,
                    amount: transaction.amount,
                    payload: transaction.payload.clone(),
                    subscription_period: transaction.subscription_period,
                    refunded: false,
                };
                self.charges.insert(transaction.id.clone(), charge);
            } else if let Some(charge) = self.charges.get_mut(&transaction.id) {
                charge.refunded = true;
            }
        }
        self.transactions = transactions;
        self.ledger_file = Some(file);
    }

    /// Adds a transaction to the ledger (and to its file, in the sandbox).
    pub(crate) fn record_transaction(&mut self, transaction: Transaction) {
        if let Some(file) = &mut self.ledger_file {
            file.append(&transaction);
        }
        self.transactions.push(transaction);
    }
}
