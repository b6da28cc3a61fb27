//! The transport of PostgreSQL TCP connections.
//!
//! The driver (sqlx) cannot be told how to open its TCP socket or how to set up
//! TLS, so this module opens the session itself and hands it over:
//!
//! 1. a listening socket in a private directory (mode 0700) is made for the
//!    driver, which connects to it as to a local server, without TLS;
//! 2. the driver's startup packet is read there;
//! 3. the TCP connection is opened with TCP_NODELAY, keepalives and
//!    TCP_USER_TIMEOUT, TLS is negotiated as libpq would for the `sslmode`
//!    (P-256 key share first, so PostgreSQL needs no second ClientHello), and
//!    the startup packet is sent on;
//! 4. the server's authentication requests are answered here (the driver never
//!    sees the password), and the messages that follow (parameters, backend
//!    key, ReadyForQuery) go to the driver;
//! 5. bytes are then relayed both ways, and a network that stays silent past
//!    the network timeout ends the session with "connection lost".
//!
//! Unix-socket URLs do not come here: the driver opens those itself.

mod errors;
mod login;
mod params;
mod pgpass;
mod pump;
mod scram;
mod tls;
mod wire;

pub use errors::FrontError;
pub use params::{FrontParams, SslMode, check_url, is_socket};

use login::{Channel, login};
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::{Connection as _, PgConnection};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UnixListener, UnixStream};
use tokio::sync::oneshot;

/// How long the driver may take to reach the local socket.
const HANDOVER_WAIT: Duration = Duration::from_secs(10);

/// A stream to the server, plain or TLS.
trait ServerIo: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> ServerIo for T {}

/// A directory only this process's user can enter, removed when dropped.
struct PrivateDir(PathBuf);

impl PrivateDir {
    /// Made in the temporary directory (`TMPDIR`), else `XDG_RUNTIME_DIR`, else
    /// `/dev/shm`: a container with a read-only root file system usually has
    /// one of them writable.
    fn new() -> std::io::Result<Self> {
        use std::os::unix::fs::DirBuilderExt as _;
        let bases = [
            Some(std::env::temp_dir()),
            std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from),
            Some(PathBuf::from("/dev/shm")),
        ];
        let mut tried = Vec::new();
        // Unix socket paths are limited to about 100 bytes.
        for base in bases
            .into_iter()
            .flatten()
            .filter(|b| b.as_os_str().len() <= 60)
        {
            let tag: u64 = rand::random();
            let dir = base.join(format!("stratum-pg-{}-{tag:016x}", std::process::id()));
            match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
                Ok(()) => return Ok(Self(dir)),
                Err(e) => tried.push(format!("{}: {e}", base.display())),
            }
        }
        Err(std::io::Error::other(format!(
            "cannot make a private directory for the driver's local socket ({}); set TMPDIR to a writable directory with a short path",
            tried.join("; ")
        )))
    }
}

impl Drop for PrivateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Opens a TCP connection to the first address of `host` that answers, with
/// the socket options the session needs.
async fn open_tcp(p: &FrontParams) -> Result<(TcpStream, SocketAddr), FrontError> {
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((p.host.as_str(), p.port))
        .await
        .map_err(|e| FrontError::Unreachable(format!("cannot resolve host `{}`: {e}", p.host)))?
        .collect();
    let mut last = format!("host `{}` has no address", p.host);
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                tune(&stream, p.network_timeout);
                return Ok((stream, addr));
            }
            Err(e) => last = format!("{addr}: {e}"),
        }
    }
    Err(FrontError::Unreachable(last))
}

/// TCP_NODELAY (no Nagle wait on small writes), keepalives and TCP_USER_TIMEOUT,
/// so that a silent network ends the connection within about the timeout.
fn tune(stream: &TcpStream, network_timeout: Duration) {
    let _ = stream.set_nodelay(true);
    let sock = socket2::SockRef::from(stream);
    let idle = (network_timeout / 2).max(Duration::from_secs(1));
    let keepalive = socket2::TcpKeepalive::new()
        .with_time(idle)
        .with_interval((network_timeout / 4).max(Duration::from_secs(1)))
        .with_retries(4);
    let _ = sock.set_tcp_keepalive(&keepalive);
    let _ = sock.set_tcp_user_timeout(Some(network_timeout));
}

/// Asks for TLS; true if the server agrees.
async fn ask_tls(s: &mut TcpStream) -> Result<bool, FrontError> {
    wire::send(s, &wire::request(wire::SSL_REQUEST)).await?;
    let mut answer = [0u8; 1];
    s.read_exact(&mut answer).await.map_err(wire::lost)?;
    match answer[0] {
        b'S' => Ok(true),
        b'N' => Ok(false),
        other => Err(FrontError::Protocol(format!(
            "answer `{}` to the TLS request",
            other.escape_ascii()
        ))),
    }
}

async fn start_tls(
    tcp: TcpStream,
    setup: &tls::TlsSetup,
    p: &FrontParams,
) -> Result<(Box<dyn ServerIo>, Channel), FrontError> {
    let connector = tokio_rustls::TlsConnector::from(setup.config.clone());
    let stream = connector
        .connect(setup.server_name.clone(), tcp)
        .await
        .map_err(|e| tls::handshake_error(&e, p, setup.roots_from.as_deref()))?;
    let hash = stream
        .get_ref()
        .1
        .peer_certificates()
        .and_then(|c| c.first())
        .and_then(|c| scram::end_point_hash(c.as_ref()));
    Ok((Box::new(stream), Channel::Tls(hash)))
}

/// Opens the session for the driver's startup packet: TCP, TLS per `sslmode`,
/// login. Returns the stream and the messages for the driver.
async fn open(
    startup: &[u8],
    p: &FrontParams,
    setup: Option<&tls::TlsSetup>,
) -> Result<(Box<dyn ServerIo>, Vec<u8>, SocketAddr), FrontError> {
    let (mut tcp, addr) = open_tcp(p).await?;
    let (mut stream, channel): (Box<dyn ServerIo>, Channel) = match (p.ssl_mode, setup) {
        (SslMode::Disable | SslMode::Allow, _) | (_, None) => (Box::new(tcp), Channel::Plain),
        (mode, Some(setup)) => {
            if ask_tls(&mut tcp).await? {
                start_tls(tcp, setup, p).await?
            } else if mode == SslMode::Prefer {
                (Box::new(tcp), Channel::Plain)
            } else {
                return Err(FrontError::TlsNotOffered(mode.name()));
            }
        }
    };
    match login(&mut stream, startup, p, &channel).await {
        Ok(forward) => Ok((stream, forward, addr)),
        // `allow`: a server that refuses the plain login gets a TLS one.
        Err(FrontError::Server { code, .. })
            if p.ssl_mode == SslMode::Allow && code == "28000" && setup.is_some() =>
        {
            let setup = setup.expect("checked");
            let (mut tcp, addr) = open_tcp(p).await?;
            if !ask_tls(&mut tcp).await? {
                return Err(FrontError::TlsNotOffered("allow"));
            }
            let (mut stream, channel) = start_tls(tcp, setup, p).await?;
            let forward = login(&mut stream, startup, p, &channel).await?;
            Ok((stream, forward, addr))
        }
        Err(e) => Err(e),
    }
}

/// Serves the driver's connection: session set-up, then the relay.
async fn front(
    listener: UnixListener,
    dir: PrivateDir,
    p: FrontParams,
    setup: Option<tls::TlsSetup>,
    done: oneshot::Sender<Result<(), FrontError>>,
) {
    let accepted = tokio::time::timeout(HANDOVER_WAIT, listener.accept()).await;
    drop(listener);
    drop(dir);
    let mut client: UnixStream = match accepted {
        Ok(Ok((c, _))) => c,
        Ok(Err(e)) => {
            let _ = done.send(Err(FrontError::Local(e.to_string())));
            return;
        }
        Err(_) => {
            let _ = done.send(Err(FrontError::Local("the driver never connected".into())));
            return;
        }
    };
    let bound = p.connect_timeout.unwrap_or(p.network_timeout);
    let opened = async {
        let startup = wire::read_startup(&mut client).await?;
        open(&startup, &p, setup.as_ref()).await
    };
    let (server, forward, addr) = match tokio::time::timeout(bound, opened).await {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            let _ = done.send(Err(e));
            return;
        }
        Err(_) => {
            let _ = done.send(Err(FrontError::Timeout(bound)));
            return;
        }
    };
    if let Err(e) = client.write_all(&forward).await {
        let _ = done.send(Err(FrontError::Local(e.to_string())));
        return;
    }
    let _ = done.send(Ok(()));
    pump::relay(client, server, addr, p.network_timeout).await;
}

/// Opens a PostgreSQL session over TCP and hands it to sqlx. `url` must not
/// name a Unix socket (see [`is_socket`]).
pub async fn connect(url: &str) -> Result<PgConnection, ConnectFailure> {
    use std::str::FromStr as _;
    let p =
        FrontParams::from_url(url).map_err(|e| ConnectFailure::Front(FrontError::Setting(e.0)))?;
    let setup = tls::setup(&p).map_err(ConnectFailure::Front)?;
    let local = |e: std::io::Error| ConnectFailure::Front(FrontError::Local(e.to_string()));
    let dir = PrivateDir::new().map_err(local)?;
    let listener = UnixListener::bind(dir.0.join(format!(".s.PGSQL.{}", p.port))).map_err(local)?;
    let options = PgConnectOptions::from_str(url)
        .map_err(ConnectFailure::Driver)?
        .socket(&dir.0)
        .port(p.port)
        .username(&p.user)
        .ssl_mode(PgSslMode::Disable);
    let options = match &p.database {
        Some(d) => options.database(d),
        None => options,
    };
    let (done, mut verdict) = oneshot::channel();
    let task = tokio::spawn(front(listener, dir, p, setup, done));
    match PgConnection::connect_with(&options).await {
        Ok(conn) => Ok(conn),
        // The transport reports before it closes the driver's socket, so its
        // verdict is there when the driver has failed because of it.
        Err(driver) => match verdict.try_recv() {
            Ok(Err(e)) => Err(ConnectFailure::Front(e)),
            _ => {
                task.abort();
                Err(ConnectFailure::Driver(driver))
            }
        },
    }
}

/// Why [`connect`] failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectFailure {
    /// The transport could not open the session.
    #[error(transparent)]
    Front(FrontError),
    /// The driver failed on an open session.
    #[error(transparent)]
    Driver(sqlx::Error),
}
