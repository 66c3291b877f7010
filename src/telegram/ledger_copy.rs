//! The Star ledger's transactions as the console's copy keeps them ([`LedgerRow`]): what
//! reconciliation writes as it pages `getStarTransactions`, after repairing the page, so the
//! payment records it reads the units from are there.

use teloxide::types::{StarTransaction, TransactionPartner, TransactionPartnerUserKind};

use super::Shop;
use crate::domain::ledger::{Direction, LedgerRow, Partner};
use crate::domain::UserId as PlayerId;
use crate::store::StoreResult;

/// Copies one page of the ledger; returns how many rows were new to the copy. The payment
/// records are read all at once (each from its player's slot), then the page is one script.
pub(super) async fn copy_page(shop: &Shop, transactions: &[StarTransaction]) -> StoreResult<u64> {
    let rows = transactions.iter().map(|transaction| async move {
        let mut row = row(transaction);
        row.qty = units(shop, &row).await?;
        Ok::<_, crate::store::StoreError>(row)
    });
    let rows = futures::future::try_join_all(rows).await?;
    shop.store.copy_ledger(&rows).await
}

/// The units the charge granted, from its payment record (none without one; a gift's is its
/// recipient's, whom the payload names).
async fn units(shop: &Shop, row: &LedgerRow) -> StoreResult<Option<u32>> {
    let (Some(user), Some(charge)) = (row.player(), row.charge()) else { return Ok(None) };
    let holder = match row.order() {
        Some(order) => order.holder(user),
        None => shop.store.holder_of(user, &charge).await?,
    };
    Ok(shop.store.payment(holder, &charge).await?.map(|record| record.qty))
}

/// A transaction in our terms: incoming when it has a source, outgoing (a refund, a
/// withdrawal) when it has a receiver; the invoice payload of a user's invoice payment.
fn row(transaction: &StarTransaction) -> LedgerRow {
    let (direction, partner) = match (&transaction.source, &transaction.receiver) {
        (Some(source), _) => (Direction::In, Some(source)),
        (None, receiver) => (Direction::Out, receiver.as_ref()),
    };
    let (partner, payload) = match partner {
        Some(TransactionPartner::User(user)) => {
            let payload = match &user.kind {
                TransactionPartnerUserKind::InvoicePayment(invoice) => {
                    Some(invoice.invoice_payload.clone().unwrap_or_default())
                }
                _ => None,
            };
            (Partner::User(PlayerId(user.user.id.0)), payload)
        }
        Some(other) => (Partner::Other(partner_type(other).to_owned()), None),
        None => (Partner::Other("other".to_owned()), None),
    };
    LedgerRow {
        id: transaction.id.0.clone(),
        date: transaction.date.timestamp(),
        amount: transaction.amount,
        nanostar: transaction.nanostar_amount,
        direction,
        partner,
        payload,
        qty: None,
    }
}

/// The Bot API's `type` of a partner that is not a user.
fn partner_type(partner: &TransactionPartner) -> &'static str {
    match partner {
        TransactionPartner::Fragment(_) => "fragment",
        TransactionPartner::User(_) => "user",
        TransactionPartner::Chat(_) => "chat",
        TransactionPartner::AffiliateProgram(_) => "affiliate_program",
        TransactionPartner::TelegramAds => "telegram_ads",
        TransactionPartner::TelegramApi(_) => "telegram_api",
        TransactionPartner::Other => "other",
    }
}
