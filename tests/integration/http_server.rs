//! The HTTP server against slow and hostile clients, over raw TCP: connections past the cap
//! wait in the backlog and the header timeout releases the slow ones (so `/healthz` answers
//! again); headers trickled in are cut off while a kept-alive connection may idle longer; a body
//! that trickles in gets a 503 at the request timeout; a request with both `Content-Length`
//! and `Transfer-Encoding` cannot smuggle a second one.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::*;

const HEALTH: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: starmine.test\r\n\r\n";

/// Reads until the server closes the connection (EOF or reset); panics if it stays open
/// `within`. Returns what was read and when the connection closed.
async fn read_to_close(stream: &mut (impl AsyncReadExt + Unpin), within: Duration) -> (Vec<u8>, Instant) {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    let read_all = async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => return Instant::now(),
                Ok(n) => seen.extend_from_slice(&buffer[..n]),
            }
        }
    };
    match tokio::time::timeout(within, read_all).await {
        Ok(closed) => (seen, closed),
        Err(_) => panic!("still open after {within:?}; read so far: {:?}", String::from_utf8_lossy(&seen)),
    }
}

/// Reads one answer to `/healthz` (headers and its 3-byte body) from a kept-alive connection.
async fn read_health_answer(stream: &mut TcpStream) -> String {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 1024];
    let answer = async {
        while !String::from_utf8_lossy(&seen).ends_with("\r\n\r\nok\n") {
            let n = stream.read(&mut buffer).await.expect("the connection is open");
            assert!(n > 0, "closed before answering: {:?}", String::from_utf8_lossy(&seen));
            seen.extend_from_slice(&buffer[..n]);
        }
    };
    tokio::time::timeout(Duration::from_secs(5), answer).await.expect("an answer within 5 s");
    String::from_utf8_lossy(&seen).into_owned()
}

async fn connect(addr: SocketAddr) -> TcpStream {
    TcpStream::connect(addr).await.expect("the kernel takes the connection (into the backlog at the cap)")
}

#[tokio::test]
async fn slow_clients_past_the_cap_wait_and_the_header_timeout_releases_them() {
    let app = spawn_with_env(&[("HTTP_MAX_CONNECTIONS", "2"), ("HTTP_HEADER_TIMEOUT_MS", "1500")]).await;
    let addr = app.http_addr().await;
    let opened = Instant::now();
    let mut slow = Vec::new();
    for index in 0..6 {
        let mut stream = connect(addr).await;
        if index % 2 == 1 {
            // Half the headers, never the rest.
            stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: starmine.test\r\nX-Slow: ").await.unwrap();
        }
        slow.push(stream);
    }
    // /healthz waits in the backlog behind them: two at a time, each closed 1.5 s after its
    // accept, so it is answered after three rounds, never at once.
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    let health = client.get(format!("http://{addr}/healthz")).send().await.expect("/healthz answers in the end");
    let waited = opened.elapsed();
    assert_eq!(health.status(), 200);
    assert!(waited >= Duration::from_millis(1400), "answered after {waited:?}: the cap of 2 did not hold");
    for (index, stream) in slow.iter_mut().enumerate() {
        let (answer, closed) = read_to_close(stream, Duration::from_secs(15)).await;
        assert!(answer.is_empty(), "slow connection {index} was answered: {:?}", String::from_utf8_lossy(&answer));
        assert!(closed - opened >= Duration::from_millis(1400), "slow connection {index} closed before its timeout");
    }

    // One warning, naming the setting and how many are open, although the cap was reached
    // again each round.
    let log = app.run_log();
    let warnings: Vec<&str> = log.lines().filter(|line| line.contains("connection cap reached")).collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("2 connections open") && warnings[0].contains("HTTP_MAX_CONNECTIONS=2"));
    assert!(metric(&app, "starmine_http_connection_cap_reached_total{listener=\"http\"}").await >= 2.0);
    assert!(metric(&app, "starmine_http_timeouts_total{listener=\"http\",phase=\"header\"}").await >= 6.0);
    // The server is itself again.
    let again = Instant::now();
    assert_eq!(client.get(format!("http://{addr}/healthz")).send().await.unwrap().status(), 200);
    assert!(again.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn trickled_headers_are_cut_off_while_a_kept_alive_connection_may_idle_longer() {
    let app = spawn_with_env(&[("HTTP_HEADER_TIMEOUT_MS", "1000"), ("HTTP_IDLE_TIMEOUT_S", "3")]).await;
    let addr = app.http_addr().await;

    // A header byte every 100 ms: the connection is busy, but its headers are not done in 1 s.
    let started = Instant::now();
    let (mut reader, mut writer) = connect(addr).await.into_split();
    let trickle = tokio::spawn(async move {
        for byte in b"GET /healthz HTTP/1.1\r\nHost: starmine.test\r\nX-Padding: ".iter().chain(&[b'a'; 200]) {
            if writer.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let (answer, closed) = read_to_close(&mut reader, Duration::from_secs(10)).await;
    let took = closed - started;
    assert!(answer.is_empty(), "{:?}", String::from_utf8_lossy(&answer));
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(3), "closed after {took:?}");
    trickle.abort();

    // Kept alive: quiet for longer than the header timeout after an answer, then a second
    // request on the same connection is answered; quiet for the idle timeout, it is closed.
    let mut kept = connect(addr).await;
    kept.write_all(HEALTH).await.unwrap();
    assert!(read_health_answer(&mut kept).await.starts_with("HTTP/1.1 200"));
    tokio::time::sleep(Duration::from_millis(1800)).await;
    kept.write_all(HEALTH).await.unwrap();
    assert!(read_health_answer(&mut kept).await.starts_with("HTTP/1.1 200"));
    let answered = Instant::now();
    let (_, closed) = read_to_close(&mut kept, Duration::from_secs(10)).await;
    let idle = closed - answered;
    assert!(idle >= Duration::from_millis(2800) && idle < Duration::from_secs(6), "idle for {idle:?}");
}

#[tokio::test]
async fn a_body_that_trickles_in_gets_a_503_at_the_request_timeout() {
    let secret = "test_webhook_secret-0123456789";
    let app = spawn_webhook("https://starmine.test/telegram/slow", secret, &[("HTTP_REQUEST_TIMEOUT_S", "2")]).await;
    let (mut reader, mut writer) = connect(app.http_addr().await).await.into_split();
    let head = format!(
        "POST /telegram/slow HTTP/1.1\r\nHost: starmine.test\r\nContent-Type: application/json\r\n\
         X-Telegram-Bot-Api-Secret-Token: {secret}\r\nContent-Length: 400\r\n\r\n"
    );
    writer.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let trickle = tokio::spawn(async move {
        for byte in b"{\"update_id\": 1, \"padding\": \"".iter().chain(&[b'x'; 300]) {
            if writer.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    });
    let (answer, closed) = read_to_close(&mut reader, Duration::from_secs(10)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("the request took too long"), "{answer}");
    assert!(closed - started >= Duration::from_millis(1900), "answered after {:?}", closed - started);
    trickle.abort();
}

#[tokio::test]
async fn both_content_length_and_transfer_encoding_cannot_smuggle_a_second_request() {
    let app = spawn().await;
    let addr = app.http_addr().await;
    let smuggled = "GET /healthz HTTP/1.1\r\nHost: starmine.test\r\n\r\n";
    // CL.TE: by Content-Length the body holds the second request; by chunked it ends before.
    let cl_te_body = format!("0\r\n\r\n{smuggled}");
    // TE.CL: by chunked the body holds the second request; by Content-Length it ends after 4.
    let te_cl_body = format!("{:x}\r\n{smuggled}\r\n0\r\n\r\n", smuggled.len());
    for (name, length, body) in [("CL.TE", cl_te_body.len(), &cl_te_body), ("TE.CL", 4, &te_cl_body)] {
        let mut stream = connect(addr).await;
        let request = format!(
            "POST /healthz HTTP/1.1\r\nHost: starmine.test\r\nContent-Length: {length}\r\n\
             Transfer-Encoding: chunked\r\n\r\n{body}"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        // The connection closes after the one answer (long before any timeout of this bot).
        let (answer, _) = read_to_close(&mut stream, Duration::from_secs(5)).await;
        let answer = String::from_utf8_lossy(&answer);
        assert_eq!(answer.matches("HTTP/1.1 ").count(), 1, "{name}: {answer}");
        assert!(
            !answer.contains("200 OK") && !answer.contains("ok\n"),
            "{name}: the smuggled GET was answered: {answer}"
        );
    }
    // Obfuscated codings are refused outright.
    let mut stream = connect(addr).await;
    let request = "POST /healthz HTTP/1.1\r\nHost: starmine.test\r\nContent-Length: 5\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n";
    stream.write_all(request.as_bytes()).await.unwrap();
    let (answer, _) = read_to_close(&mut stream, Duration::from_secs(5)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 400"), "{answer}");
}
