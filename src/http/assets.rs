//! The pages' files, built into the binary from `assets/` (HTML, CSS and ES modules, no build
//! step), so a deployed binary needs no asset directory. One table per page, a file one line in
//! it; [`routes`] serves a table under the page's path for the game page (`http/pages.rs`) and
//! the sandbox page (`sandbox/control.rs`) alike, and the console's files (`http/admin.rs`). `assets/common/` holds modules both pages
//! serve, each under its own path. Tests of the pure modules (`tests/js/`) are not served.

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

/// One file of a page: its name under the page's path, where it comes from under `assets/`, and
/// its text.
#[derive(Clone, Copy, Debug)]
pub struct Asset {
    pub name: &'static str,
    pub source: &'static str,
    pub body: &'static str,
}

/// `asset!("game", "run.js")`: `assets/game/run.js`, served as `run.js`.
macro_rules! asset {
    ($dir:literal, $name:literal) => {
        Asset {
            name: $name,
            source: concat!($dir, "/", $name),
            body: include_str!(concat!("../../assets/", $dir, "/", $name)),
        }
    };
}

/// Starmine Rush, under `/game/` (`game.js` imports the rest).
pub const GAME: &[Asset] = &[
    asset!("game", "index.html"),
    asset!("game", "style.css"),
    asset!("game", "game.js"),
    asset!("game", "art.js"),
    asset!("game", "cave.js"),
    asset!("game", "draw.js"),
    asset!("game", "format.js"),
    asset!("game", "gift.js"),
    asset!("game", "home.js"),
    asset!("game", "hud.js"),
    asset!("game", "look.js"),
    asset!("game", "math.js"),
    asset!("game", "messages.js"),
    asset!("game", "play.js"),
    asset!("game", "render.js"),
    asset!("game", "results.js"),
    asset!("game", "run.js"),
    asset!("game", "scoring.js"),
    asset!("game", "screens.js"),
    asset!("game", "session.js"),
    asset!("game", "shop.js"),
    asset!("game", "skins.js"),
    asset!("game", "state.js"),
    asset!("game", "texts.js"),
    asset!("game", "upgrades.js"),
    asset!("common", "dom.js"),
];

/// The sandbox page, under `/sandbox/` (`sandbox.js` imports the rest).
pub const SANDBOX: &[Asset] = &[
    asset!("sandbox", "index.html"),
    asset!("sandbox", "sandbox.css"),
    asset!("sandbox", "sandbox.js"),
    asset!("sandbox", "api.js"),
    asset!("sandbox", "bubbles.js"),
    asset!("sandbox", "chat.js"),
    asset!("sandbox", "composer.js"),
    asset!("sandbox", "economy.js"),
    asset!("sandbox", "format.js"),
    asset!("sandbox", "game_frame.js"),
    asset!("sandbox", "live.js"),
    asset!("sandbox", "panel.js"),
    asset!("sandbox", "parse.js"),
    asset!("sandbox", "pay.js"),
    asset!("sandbox", "reload.js"),
    asset!("sandbox", "state.js"),
    asset!("sandbox", "status.js"),
    asset!("sandbox", "sync.js"),
    asset!("sandbox", "users.js"),
    asset!("common", "dom.js"),
];

/// The operator console, under `/admin/` (`admin.js` imports the rest); its `index.html` is
/// shown to a signed-in admin only (`http/admin.rs`).
pub const ADMIN: &[Asset] = &[
    asset!("admin", "index.html"),
    asset!("admin", "admin.css"),
    asset!("admin", "admin.js"),
    asset!("admin", "api.js"),
    asset!("admin", "format.js"),
    asset!("admin", "overview.js"),
    asset!("admin", "players.js"),
    asset!("admin", "items.js"),
    asset!("admin", "transactions.js"),
    asset!("admin", "support.js"),
    asset!("admin", "svg.js"),
    asset!("admin", "nav.js"),
    asset!("common", "dom.js"),
];

/// `files` under `prefix` (`/game`): each at `<prefix>/<name>`, and `index.html` at `<prefix>/`
/// too, with its content type and `Cache-Control: no-cache` (a browser asks again, so a new
/// binary's files are never mixed with an old one's).
pub fn routes<S: Clone + Send + Sync + 'static>(prefix: &str, files: &'static [Asset]) -> Router<S> {
    let router = routes_but_index(prefix, files);
    match files.iter().find(|asset| asset.name == "index.html") {
        Some(asset) => {
            let serve = get(move || async move { response(asset) });
            router.route(&format!("{prefix}/"), serve.clone()).route(&format!("{prefix}/index.html"), serve)
        }
        None => router,
    }
}

/// Like [`routes`] without the page itself (`index.html`): the caller decides who sees it.
pub fn routes_but_index<S: Clone + Send + Sync + 'static>(prefix: &str, files: &'static [Asset]) -> Router<S> {
    let mut router = Router::new();
    for asset in files.iter().filter(|asset| asset.name != "index.html") {
        router = router.route(&format!("{prefix}/{}", asset.name), get(move || async move { response(asset) }));
    }
    router
}

/// A page's `index.html` as [`routes`] serves it.
pub fn index(files: &'static [Asset]) -> axum::response::Response {
    match files.iter().find(|asset| asset.name == "index.html") {
        Some(asset) => response(asset).into_response(),
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

fn response(asset: &'static Asset) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type(asset.name)), (header::CACHE_CONTROL, "no-cache")], asset.body)
}

/// By the name's extension; a module must be served as JavaScript or the browser refuses it.
fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, extension)| extension) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests;
