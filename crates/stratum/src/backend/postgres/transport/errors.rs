//! Why the transport could not open a session. Each message names the check that
//! failed and the setting, file or host name to fix; none holds a password.

use std::path::PathBuf;

/// A failure to open a PostgreSQL session over TCP.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FrontError {
    /// The TCP connection could not be made.
    #[error("{0}")]
    Unreachable(String),
    /// Opening the session took longer than the connect timeout.
    #[error(
        "no answer within the connect timeout of {0:?}; check the host, port and network, or raise connect_timeout"
    )]
    Timeout(std::time::Duration),
    /// The connection broke (or went silent) while logging in.
    #[error("the connection was lost while logging in: {0}")]
    Lost(String),
    /// `sslmode` requires TLS but the server does not offer it.
    #[error(
        "sslmode={0} requires TLS, but the server does not offer it; enable ssl on the server, or use sslmode=prefer"
    )]
    TlsNotOffered(&'static str),
    /// A certificate or key file cannot be read or used.
    #[error("{what} {}: {detail}", path.display())]
    CertificateFile {
        /// Which file (`root certificate file`, `client certificate file`, ...).
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// What is wrong and what to do.
        detail: String,
    },
    /// The TLS handshake failed or the server's certificate did not pass a check.
    #[error("{0}")]
    Tls(String),
    /// The server rejected the login (or the transport refused a login method).
    #[error("{detail}")]
    Auth {
        /// The server's message or the transport's reason.
        detail: String,
    },
    /// The server sent an error while starting the session.
    #[error("{message}")]
    Server {
        /// SQLSTATE.
        code: String,
        /// The server's message.
        message: String,
    },
    /// A connection setting in the URL cannot be used.
    #[error("{0}")]
    Setting(String),
    /// The server sent something the protocol does not allow here.
    #[error("unexpected reply from the server: {0}")]
    Protocol(String),
    /// The local hand-over to the driver failed.
    #[error("local hand-over failed: {0}")]
    Local(String),
}
