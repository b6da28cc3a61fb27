//! The network cut in the middle of a revision (reliability case 25, network
//! part): a TCP proxy between the migrator and the server stops forwarding,
//! without a reset, while a revision waits inside its transaction. The run gives
//! up after a bounded time set by `network_timeout` (exit 3, "connection ...
//! lost"), the database stays at a revision boundary, and the next run
//! completes.

mod common;

use common::{Bin, F1, F6, Fixture, Run, TableLock, command};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};
use stratum_testkit::TestDb;

const FORWARD: u8 = 0;
const CUT: u8 = 1;
const CLOSED: u8 = 2;

/// A proxy that forwards, then drops everything silently (keeping the sockets
/// open and accepting new connections that go nowhere), then closes all.
struct Proxy {
    port: u16,
    state: Arc<AtomicU8>,
}

impl Proxy {
    fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(AtomicU8::new(FORWARD));
        let st = state.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            for client in listener.incoming() {
                let Ok(client) = client else { break };
                match st.load(Ordering::SeqCst) {
                    CLOSED => break,
                    CUT => held.push(client),
                    _ => {
                        let Ok(server) = TcpStream::connect(upstream) else {
                            continue;
                        };
                        let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                        let (a, b) = (st.clone(), st.clone());
                        std::thread::spawn(move || pipe(client, server, a));
                        std::thread::spawn(move || pipe(s2, c2, b));
                    }
                }
            }
        });
        Proxy { port, state }
    }

    /// A proxy in front of the server of `url`, and `url` through it.
    fn in_front_of(url: &str) -> (Proxy, url::Url) {
        let direct = url::Url::parse(url).unwrap();
        let upstream: SocketAddr = format!(
            "{}:{}",
            direct.host_str().unwrap(),
            direct.port().unwrap_or(5432)
        )
        .parse()
        .expect("the test server has a numeric address");
        let proxy = Proxy::start(upstream);
        let mut through = direct;
        through.set_port(Some(proxy.port)).unwrap();
        (proxy, through)
    }

    fn set(&self, state: u8) {
        self.state.store(state, Ordering::SeqCst);
    }
}

fn pipe(mut from: TcpStream, mut to: TcpStream, state: Arc<AtomicU8>) {
    from.set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let mut buf = [0u8; 16 * 1024];
    loop {
        match state.load(Ordering::SeqCst) {
            CLOSED => {
                let _ = from.shutdown(Shutdown::Both);
                let _ = to.shutdown(Shutdown::Both);
                return;
            }
            CUT => {
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
            _ => {}
        }
        match from.read(&mut buf) {
            Ok(0) => {
                let _ = to.shutdown(Shutdown::Write);
                return;
            }
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    return;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return,
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_network_cut_mid_revision_ends_the_run_in_bounded_time() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let f = Fixture::new(db);
    let (proxy, mut through) = Proxy::in_front_of(f.db.url());
    through.set_query(Some("network_timeout=2s"));

    f.run(Bin::Good, &["upgrade", F1]).assert_code(0);
    let lock = TableLock::take(&f, "ledger", "ACCESS SHARE", "network-cut-reader").await;
    let child = command(Bin::Good, f.dir.path(), through.as_str())
        .args(["upgrade", "head"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    f.wait_for_blocked_migrator().await;
    proxy.set(CUT);
    let cut_at = Instant::now();
    let run = tokio::task::spawn_blocking(move || {
        Run::from_output(child.wait_with_output().expect("wait for the binary"))
    })
    .await
    .unwrap();
    let waited = cut_at.elapsed();
    eprintln!("gave up after {waited:?}:\n{}", run.all());
    // network_timeout=2s: silence for 2 s, then up to 2 s for a fresh
    // connection to answer. A generous bound, not a timing: without one the run
    // waits as long as the lock is held (forever here).
    assert!(
        waited < Duration::from_secs(30),
        "gave up only after {waited:?}"
    );
    run.assert_code(3)
        .assert_mentions("connection to the server lost")
        .assert_mentions("network_timeout");

    // The network comes back: the proxy's connections close, the server ends
    // the orphaned session and rolls its transaction back.
    proxy.set(CLOSED);
    lock.release().await;
    f.wait_for_migrator_gone().await;
    f.assert_no_advisory_lock_eventually().await;
    assert_eq!(f.version_rows().await, [F1], "not at a revision boundary");
    f.run(Bin::Good, &["upgrade", "head"]).assert_code(0);
    assert_eq!(f.version_rows().await, [F6]);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_never_answers_the_login_is_given_up_on_after_connect_timeout() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let f = Fixture::new(db);
    // Connections are accepted and then nothing comes back, as with a server
    // host that stopped answering.
    let (proxy, mut through) = Proxy::in_front_of(f.db.url());
    proxy.set(CUT);
    through.set_query(Some("connect_timeout=2"));
    let started = Instant::now();
    let dir = f.dir.path().to_path_buf();
    let url = through.to_string();
    let run = tokio::task::spawn_blocking(move || {
        Run::from_output(
            command(Bin::Good, &dir, &url)
                .arg("current")
                .output()
                .expect("the binary runs"),
        )
    })
    .await
    .unwrap();
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(20),
        "gave up only after {waited:?}"
    );
    run.assert_code(3)
        .assert_mentions("no answer within the connect timeout");
    proxy.set(CLOSED);
}
