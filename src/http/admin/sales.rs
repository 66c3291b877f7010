//! The console's sales figures, read from the money counters (`Store::money_by_day`, per item
//! and UTC day; see `domain::sales` for what counts where) for the last [`DAYS`] days of the
//! catalog's items, never from scanning keys: the overview's windows (today, 7 and 30 days) and
//! its charts drawn here with `crate::plot` (Stars received and refunded per day, purchases and
//! paying players per day, purchases per hour over the last [`HOURS`] hours), and
//! `GET /admin/api/items` ([`items`]): per item the month's figures, stock left and open holds of
//! a limited item, and a sparkline of units sold per day.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::AdminState;
use crate::clock::now_ms;
use crate::domain::sales::{days, total, Day, DaySales, Hour};
use crate::domain::{Catalog, Item, ItemId};
use crate::plot::{sparkline, Chart, Series};
use crate::store::{Store, StoreResult};

/// The longest window, and the span of the charts and sparklines.
pub const DAYS: u32 = 30;
/// The span of the purchases-per-hour chart: today and yesterday's worth.
pub const HOURS: u32 = 48;
/// The overview's windows: (name, days ending today).
const WINDOWS: [(&str, u32); 3] = [("today", 1), ("7 days", 7), ("30 days", DAYS)];

/// Every catalog item's figures for each of the last [`DAYS`] days, in day order, the players
/// who paid each of those days, and all items' purchases in each of the last [`HOURS`] hours.
pub struct Month {
    pub range: RangeInclusive<Day>,
    pub by_item: BTreeMap<ItemId, Vec<DaySales>>,
    pub payers: Vec<u64>,
    pub purchases_by_hour: Vec<u64>,
}

impl Month {
    pub async fn read(store: &Store, catalog: &Catalog, now_ms: i64) -> StoreResult<Self> {
        let range = Day::of(now_ms).last(DAYS);
        let items: Vec<ItemId> = catalog.items().iter().map(|item| item.id.clone()).collect();
        let (by_item, payers, purchases_by_hour) = tokio::try_join!(
            store.money_by_day(&items, range.clone()),
            store.payers_by_day(range.clone()),
            store.purchases_by_hour(&items, Hour::of(now_ms).last(HOURS)),
        )?;
        Ok(Self { range, by_item, payers, purchases_by_hour })
    }

    /// All items' figures summed, per day.
    fn per_day(&self) -> Vec<DaySales> {
        days(&self.range)
            .enumerate()
            .map(|(index, day)| {
                let start = DaySales { day, ..DaySales::default() };
                self.by_item.values().filter_map(|sales| sales.get(index)).fold(start, |sum, sales| sum + *sales)
            })
            .collect()
    }

    /// The x of each day on the charts: days before today (today is 0).
    fn xs(&self) -> impl Iterator<Item = f64> {
        let today = self.range.end().0;
        days(&self.range).map(move |day| (day.0 - today) as f64)
    }
}

/// The overview's `sales`: each window's figures and the charts (`{id, title, svg}`).
pub fn overview(month: &Month, catalog: &Catalog) -> Value {
    let per_day = month.per_day();
    let windows: Vec<Value> =
        WINDOWS.iter().map(|&(name, count)| figures(name, &total(&per_day, &month.range.end().last(count)))).collect();
    let charts = [
        received_chart(month, catalog),
        refunds_chart(month, catalog),
        purchases_chart(month, &per_day),
        hourly_chart(month),
    ];
    json!({
        "from": month.range.start().to_string(),
        "to": month.range.end().to_string(),
        "windows": windows,
        "paying_players_today": month.payers.last().copied().unwrap_or(0),
        "charts": charts.iter().map(chart_json).collect::<Vec<_>>(),
    })
}

/// A window's figures; the refund rate is refunded ÷ received (null when nothing was received).
fn figures(name: &str, sales: &DaySales) -> Value {
    let received = sales.received();
    json!({
        "window": name,
        "received": received,
        "refunded": sales.refunded_stars,
        "net": sales.net(),
        "refund_rate": (received > 0).then(|| sales.refunded_stars as f64 / received as f64),
        "units_sold": sales.sold,
        "units_refunded": sales.refunded,
        "purchases": sales.purchases,
    })
}

fn chart_json(chart: &Chart) -> Value {
    json!({ "id": chart.id(), "title": chart.title(), "svg": chart.to_svg() })
}

/// Stars received per day, a bar a day stacked by item.
fn received_chart(month: &Month, catalog: &Catalog) -> Chart {
    let chart = Chart::stacked_bars("received-per-day", "Stars received per day")
        .empty_text(format!("No Stars received in the last {DAYS} days"));
    by_item(chart, month, catalog, DaySales::received)
}

/// Stars refunded per day, a bar a day stacked by item.
fn refunds_chart(month: &Month, catalog: &Catalog) -> Chart {
    let chart = Chart::stacked_bars("refunds-per-day", "Stars refunded per day")
        .empty_text(format!("No refunds in the last {DAYS} days"));
    by_item(chart, month, catalog, |day| day.refunded_stars)
}

/// Layers a stacked chart shows at most, one colour each (the plot palette's size): items beyond
/// share one "Other items" layer.
const LAYERS: usize = 8;

/// The layers of the by-item charts: each item that received or refunded any Stars this month,
/// by item id; with more than [`LAYERS`], the `LAYERS - 1` with the most Stars moved keep
/// their own and the rest are summed as "Other items" (last).
fn layers<'a>(month: &'a Month, catalog: &Catalog) -> Vec<(String, Vec<&'a [DaySales]>)> {
    let moved = |sales: &[DaySales]| sales.iter().map(|day| day.received() + day.refunded_stars).sum::<u64>();
    let active: Vec<(&ItemId, &[DaySales])> = month
        .by_item
        .iter()
        .map(|(item, sales)| (item, sales.as_slice()))
        .filter(|(_, sales)| moved(sales) > 0)
        .collect();
    let named = |item: &ItemId| catalog.get(item).map_or_else(|| item.to_string(), |item| item.name.clone());
    if active.len() <= LAYERS {
        return active.into_iter().map(|(item, sales)| (named(item), vec![sales])).collect();
    }
    let mut by_size: Vec<usize> = (0..active.len()).collect();
    by_size.sort_by_key(|&index| std::cmp::Reverse(moved(active[index].1)));
    let own: std::collections::BTreeSet<usize> = by_size.into_iter().take(LAYERS - 1).collect();
    let mut layers: Vec<(String, Vec<&[DaySales]>)> = Vec::new();
    let mut others = Vec::new();
    for (index, (item, sales)) in active.into_iter().enumerate() {
        if own.contains(&index) {
            layers.push((named(item), vec![sales]));
        } else {
            others.push(sales);
        }
    }
    layers.push(("Other items".to_owned(), others));
    layers
}

/// `chart` over the month's days with a layer of `stars` per item ([`layers`]). Both charts get
/// the same layers in the same order, so an item has the same colour in each (a layer with
/// nothing to draw keeps its colour slot and has no legend entry).
fn by_item(chart: Chart, month: &Month, catalog: &Catalog, stars: impl Fn(&DaySales) -> u64) -> Chart {
    let chart = chart
        .x_label("days before today (UTC)")
        .y_label("Stars")
        .x_span(1.0 - f64::from(DAYS), 0.0)
        .caption("Stacked by item: a bar is the day's total.");
    layers(month, catalog).into_iter().fold(chart, |chart, (name, items)| {
        let per_day = (0..month.xs().count())
            .map(|day| items.iter().filter_map(|sales| sales.get(day)).map(&stars).sum::<u64>() as f64);
        chart.series(Series::new(name, month.xs().zip(per_day)))
    })
}

/// Purchases and paying players per day (a player who pays twice a day counts once that day).
fn purchases_chart(month: &Month, per_day: &[DaySales]) -> Chart {
    Chart::line("purchases-per-day", "Purchases and paying players per day")
        .x_label("days before today (UTC)")
        .y_label("count")
        .series(Series::new("purchases", month.xs().zip(per_day.iter().map(|day| day.purchases as f64))))
        .series(Series::new("paying players", month.xs().zip(month.payers.iter().map(|&payers| payers as f64))))
}

/// Purchases per hour over the last [`HOURS`] hours, all items.
fn hourly_chart(month: &Month) -> Chart {
    let count = month.purchases_by_hour.len() as i64;
    let xs = (0..count).map(|index| (index - count + 1) as f64);
    Chart::stacked_bars("purchases-per-hour", "Purchases per hour, last two days")
        .x_label("hours before this one (UTC)")
        .y_label("purchases")
        .x_span((1 - count) as f64, 0.0)
        .empty_text("No purchases in the last two days")
        .series(Series::new("purchases", xs.zip(month.purchases_by_hour.iter().map(|&count| count as f64))))
}

/// `GET /admin/api/items`: `{from, to, items: [...]}`, in catalog order.
pub async fn items(State(state): State<AdminState>) -> Response {
    let now = now_ms();
    let catalog = state.catalog.current();
    let month = match Month::read(&state.store, &catalog, now).await {
        Ok(month) => month,
        Err(error) => return unavailable(&error),
    };
    // Each limited item's reads go to its own slot, all at once over the multiplexed connection.
    let stocks = futures::future::try_join_all(catalog.items().iter().map(|item| stock(&state.store, item, now)));
    let stocks = match stocks.await {
        Ok(stocks) => stocks,
        Err(error) => return unavailable(&error),
    };
    let rows: Vec<Value> = catalog
        .items()
        .iter()
        .zip(stocks)
        .map(|(item, stock)| {
            let sales = month.by_item.get(&item.id).map(Vec::as_slice).unwrap_or_default();
            item_row(item, sales, &month.range, stock)
        })
        .collect();
    Json(json!({ "from": month.range.start().to_string(), "to": month.range.end().to_string(), "items": rows }))
        .into_response()
}

/// A limited item's units left for sale and units its open holds keep; null for an unlimited one.
async fn stock(store: &Store, item: &Item, now_ms: i64) -> StoreResult<Value> {
    let Some(stock) = item.stock else { return Ok(Value::Null) };
    let (sold, held) = tokio::try_join!(store.units_sold(&item.id), store.held_units(&item.id, now_ms))?;
    Ok(json!({ "stock": stock, "left": u64::from(stock).saturating_sub(sold + held), "held": held }))
}

fn item_row(item: &Item, sales: &[DaySales], range: &RangeInclusive<Day>, stock: Value) -> Value {
    let month = total(sales, range);
    let sold_per_day: Vec<f64> = sales.iter().map(|day| day.sold as f64).collect();
    json!({
        "id": item.id.to_string(),
        "name": item.name,
        "price": item.price.get(),
        "retired": item.retired,
        "sold": month.sold,
        "refunds": month.refunded,
        "received": month.received(),
        "refunded": month.refunded_stars,
        "net": month.net(),
        "limited": stock,
        "sparkline": sparkline(&format!("{} sold per day, last {DAYS} days", item.name), &sold_per_day),
    })
}

/// The items answer when Redis cannot be read: 503 with what went wrong.
fn unavailable(error: &crate::store::StoreError) -> Response {
    let body = json!({ "error": format!("the counters cannot be read: {error}"), "code": "unavailable" });
    (axum::http::StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::game::{Effects, LootTable};
    use crate::domain::{ItemKind, Settings, Stars};

    fn item(id: &str, name: &str) -> Item {
        Item {
            id: ItemId::parse(id).unwrap(),
            name: name.into(),
            description: name.into(),
            price: Stars::new(5).unwrap(),
            kind: ItemKind::Consumable,
            stock: None,
            max_per_player: None,
            effects: Effects::default(),
            retired: false,
            translations: Default::default(),
        }
    }

    fn catalog() -> Catalog {
        let items = vec![item("energy", "Energy"), item("lantern", "Lantern")];
        Catalog::new(items, Settings::default(), LootTable::new(Vec::new()), "v".into())
    }

    /// Energy sold on day 95 (1 for 5) and today, day 100 (2 for 10, one refunded); nothing else.
    fn month() -> Month {
        let range = Day(100).last(DAYS);
        let energy = days(&range)
            .map(|day| match day.0 {
                95 => DaySales::from_counts(day, [1, 5, 0, 0, 0, 0, 1]),
                100 => DaySales::from_counts(day, [2, 10, 1, 5, 0, 0, 1]),
                _ => DaySales { day, ..DaySales::default() },
            })
            .collect();
        let lantern = days(&range).map(|day| DaySales { day, ..DaySales::default() }).collect();
        let by_item = [(ItemId::parse("energy").unwrap(), energy), (ItemId::parse("lantern").unwrap(), lantern)];
        let mut payers = vec![0; DAYS as usize];
        payers[DAYS as usize - 6] = 1;
        payers[DAYS as usize - 1] = 1;
        let mut purchases_by_hour = vec![0; HOURS as usize];
        purchases_by_hour[HOURS as usize - 1] = 1;
        Month { range, by_item: by_item.into_iter().collect(), payers, purchases_by_hour }
    }

    fn check_window(sales: &Value, index: usize, expected: Value) {
        assert_eq!(sales["windows"][index], expected, "{sales}");
    }

    #[test]
    fn each_window_sums_its_days_and_its_rate_is_refunded_over_received() {
        let sales = overview(&month(), &catalog());
        let window = |name: &str, received: u64, net: i64, rate: f64, units: u64| {
            json!({ "window": name, "received": received, "refunded": 5, "net": net, "refund_rate": rate,
                    "units_sold": units, "units_refunded": 1, "purchases": units - 1 })
        };
        check_window(&sales, 0, window("today", 10, 5, 0.5, 2));
        check_window(&sales, 1, window("7 days", 15, 10, 5.0 / 15.0, 3));
        check_window(&sales, 2, window("30 days", 15, 10, 5.0 / 15.0, 3));
        assert_eq!(sales["paying_players_today"], 1);
        assert_eq!((sales["from"].as_str(), sales["to"].as_str()), (Some("1970-03-13"), Some("1970-04-11")));
    }

    #[test]
    fn nothing_received_has_no_refund_rate() {
        assert!(figures("today", &DaySales::default())["refund_rate"].is_null());
    }

    /// The overview's charts' SVG by id.
    fn charts(month: &Month) -> BTreeMap<String, String> {
        let sales = overview(month, &catalog());
        let charts = sales["charts"].as_array().unwrap().iter();
        charts.map(|chart| (chart["id"].as_str().unwrap().into(), chart["svg"].as_str().unwrap().into())).collect()
    }

    /// Each piece of a stacked bar as its tooltip says it ("<x> — <item>: <Stars> of <day's total>").
    fn pieces(svg: &str) -> Vec<&str> {
        svg.split("<rect ").skip(1).filter(|rect| rect.contains("data-x=")).map(piece_title).collect()
    }

    fn piece_title(rect: &str) -> &str {
        rect.split_once("<title>").and_then(|(_, rest)| rest.split_once("</title>")).unwrap().0
    }

    #[test]
    fn the_charts_stack_a_layer_per_item_that_sold_or_refunded() {
        let charts = charts(&month());
        let (received, refunds) = (&charts["received-per-day"], &charts["refunds-per-day"]);
        assert_eq!(pieces(received), ["-5 — Energy: 5 of 5", "0 — Energy: 10 of 10"], "{received}");
        assert_eq!(pieces(refunds), ["0 — Energy: 5 of 5"], "{refunds}");
        for svg in [received, refunds] {
            assert!(svg.contains(r#"data-series="Energy""#) && !svg.contains(r#"data-series="Lantern""#), "{svg}");
            assert!(!svg.contains(r#"data-series="total""#), "the bar's height is the total");
        }
    }

    #[test]
    fn a_days_bar_piles_the_items_and_each_keeps_its_colour_in_both_charts() {
        let mut month = month();
        let lantern = month.by_item.get_mut(&ItemId::parse("lantern").unwrap()).unwrap();
        lantern[DAYS as usize - 1] = DaySales::from_counts(Day(100), [1, 5, 0, 0, 0, 0, 1]);
        let charts = charts(&month);
        let (received, refunds) = (&charts["received-per-day"], &charts["refunds-per-day"]);
        assert_eq!(pieces(received), ["-5 — Energy: 5 of 5", "0 — Energy: 10 of 15", "0 — Lantern: 5 of 15"]);
        assert_eq!(pieces(refunds), ["0 — Energy: 5 of 5"], "Lantern refunded nothing");
        let fill = |svg: &str, item: &str| {
            let group = svg.split(&format!(r#"data-series="{item}""#)).nth(1).unwrap();
            group.split(r#"fill=""#).nth(1).unwrap().split('"').next().unwrap().to_owned()
        };
        assert_eq!(fill(refunds, "Energy"), fill(received, "Energy"));
        assert_ne!(fill(received, "Lantern"), fill(received, "Energy"));
    }

    #[test]
    fn a_month_without_sales_draws_empty_charts_that_say_so() {
        let mut month = month();
        month.by_item.values_mut().flatten().for_each(|day| *day = DaySales { day: day.day, ..DaySales::default() });
        let charts = charts(&month);
        let received = &charts["received-per-day"];
        assert!(received.contains("No Stars received in the last 30 days") && pieces(received).is_empty());
        assert!(charts["refunds-per-day"].contains("No refunds in the last 30 days"));
        assert!(received.contains(">\n-25\n</text>"), "the month's days are on the axis: {received}");
    }

    #[test]
    fn more_items_than_colours_keep_the_biggest_seven_and_sum_the_rest_as_other_items() {
        let ids: Vec<String> = (1..=10).map(|n| format!("item{n}")).collect();
        let items = ids.iter().map(|id| item(id, &id.to_uppercase())).collect();
        let catalog = Catalog::new(items, Settings::default(), LootTable::new(Vec::new()), "v".into());
        let range = Day(100).last(DAYS);
        // item<n> received n Stars today: items 1-3 are the smallest.
        let sales_of = ids
            .iter()
            .enumerate()
            .map(|(index, id)| {
                let sales = days(&range)
                    .map(|day| {
                        let stars = if day.0 == 100 { index as u64 + 1 } else { 0 };
                        DaySales::from_counts(day, [1, stars, 0, 0, 0, 0, 1])
                    })
                    .collect();
                (ItemId::parse(id).unwrap(), sales)
            })
            .collect();
        let month = Month {
            range,
            by_item: sales_of,
            payers: vec![0; DAYS as usize],
            purchases_by_hour: vec![0; HOURS as usize],
        };
        let layers = layers(&month, &catalog);
        let names: Vec<&str> = layers.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["ITEM10", "ITEM4", "ITEM5", "ITEM6", "ITEM7", "ITEM8", "ITEM9", "Other items"]);
        let svg = by_item(Chart::stacked_bars("t", "t"), &month, &catalog, DaySales::received).to_svg();
        assert!(svg.contains("Other items: 6 of 55"), "1 + 2 + 3 of the day's 55: {svg}");
    }

    #[test]
    fn purchases_and_paying_players_are_charted_per_day_and_purchases_per_hour() {
        let sales = overview(&month(), &catalog());
        let ids: Vec<&str> = sales["charts"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["received-per-day", "refunds-per-day", "purchases-per-day", "purchases-per-hour"]);
        let per_day = sales["charts"][2]["svg"].as_str().unwrap();
        assert!(per_day.contains(r#"data-series="purchases""#) && per_day.contains(r#"data-series="paying players""#));
        let per_hour = sales["charts"][3]["svg"].as_str().unwrap();
        assert!(per_hour.contains("hours before this one"), "{per_hour}");
    }

    #[test]
    fn an_item_row_has_the_months_figures_and_a_sparkline_of_each_day() {
        let month = month();
        let energy = &month.by_item[&ItemId::parse("energy").unwrap()];
        let row = item_row(&item("energy", "Energy"), energy, &month.range, Value::Null);
        let figures = ["sold", "refunds", "received", "refunded", "net"].map(|field| row[field].as_i64().unwrap());
        assert_eq!(figures, [3, 1, 15, 5, 10]);
        assert!(row["sparkline"].as_str().unwrap().contains(r#"data-sparkline="30""#));
        assert!(row["limited"].is_null());
    }
}
