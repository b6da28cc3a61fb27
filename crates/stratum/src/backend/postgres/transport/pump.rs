//! Relays an open session between the driver's local socket and the server, and
//! notices a network that went silent: while a reply is due and the server has
//! said nothing for the network timeout, a fresh connection asks the server for
//! a one-byte answer. No answer within the timeout means the network is cut;
//! the driver is then told the connection is lost (SQLSTATE 08006) instead of
//! waiting forever.

use super::wire::{GSSENC_REQUEST, error_response, request};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpStream, UnixStream};
use tokio::time::{Instant, sleep_until, timeout};

/// Where the server's messages stand: in a message or between two, and the type
/// of the last one begun.
#[derive(Debug, Default)]
struct Framing {
    header: [u8; 5],
    have: usize,
    left: usize,
    last_tag: u8,
}

impl Framing {
    fn feed(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.left > 0 {
                let n = self.left.min(data.len());
                self.left -= n;
                data = &data[n..];
            } else {
                let n = (5 - self.have).min(data.len());
                self.header[self.have..self.have + n].copy_from_slice(&data[..n]);
                self.have += n;
                data = &data[n..];
                if self.have == 5 {
                    let h = self.header;
                    self.last_tag = h[0];
                    self.left =
                        (u32::from_be_bytes([h[1], h[2], h[3], h[4]]) as usize).saturating_sub(4);
                    self.have = 0;
                }
            }
        }
    }

    fn at_boundary(&self) -> bool {
        self.have == 0 && self.left == 0
    }

    /// The server finished its reply (ReadyForQuery) and waits for the client.
    fn ready(&self) -> bool {
        self.at_boundary() && self.last_tag == b'Z'
    }
}

/// Whether the server at `addr` answers a fresh connection within `wait`.
async fn server_answers(addr: SocketAddr, wait: Duration) -> bool {
    let probe = async {
        let mut s = TcpStream::connect(addr).await.ok()?;
        s.write_all(&request(GSSENC_REQUEST)).await.ok()?;
        let mut byte = [0u8; 1];
        let n = s.read(&mut byte).await.ok()?;
        (n == 1).then_some(())
    };
    matches!(timeout(wait, probe).await, Ok(Some(())))
}

/// Relays bytes until either side closes. `addr` is the server's address, for
/// the liveness check; `silence` is the network timeout.
pub async fn relay<S>(client: UnixStream, server: S, addr: SocketAddr, silence: Duration)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = tokio::io::split(server);
    let mut cbuf = vec![0u8; 64 * 1024];
    let mut sbuf = vec![0u8; 64 * 1024];
    let mut framing = Framing {
        last_tag: b'Z',
        ..Framing::default()
    };
    let mut pending = false;
    let mut last_heard = Instant::now();
    let lost = loop {
        let deadline = last_heard + silence;
        tokio::select! {
            n = cr.read(&mut cbuf) => {
                let n = match n { Ok(0) | Err(_) => break None, Ok(n) => n };
                if sw.write_all(&cbuf[..n]).await.is_err() || sw.flush().await.is_err() {
                    break Some("writing to the server failed".to_string());
                }
                if !pending {
                    pending = true;
                    last_heard = Instant::now();
                }
            }
            n = sr.read(&mut sbuf) => {
                let n = match n {
                    Ok(0) => break Some("the server closed the connection".to_string()),
                    Err(e) => break Some(format!("reading from the server failed: {e}")),
                    Ok(n) => n,
                };
                framing.feed(&sbuf[..n]);
                if cw.write_all(&sbuf[..n]).await.is_err() {
                    break None;
                }
                last_heard = Instant::now();
                if framing.ready() {
                    pending = false;
                }
            }
            _ = sleep_until(deadline), if pending => {
                if server_answers(addr, silence).await {
                    last_heard = Instant::now();
                } else {
                    break Some(format!(
                        "no reply from the server for {silence:?} and it does not answer new connections within {silence:?} (network_timeout); the network to {addr} may be cut"
                    ));
                }
            }
        }
    };
    if let Some(reason) = lost {
        // Tell the driver in words it reports, when the stream is between
        // messages; otherwise closing is all that can be done.
        if framing.at_boundary() {
            let msg = format!("connection to the server lost: {reason}");
            let _ = cw.write_all(&error_response("08006", &msg)).await;
        }
        let _ = cw.shutdown().await;
    }
    let _ = sw.shutdown().await;
}

#[cfg(test)]
mod tests {
    use super::Framing;

    #[test]
    fn framing_follows_messages_split_anywhere() {
        let mut stream = Vec::new();
        stream.extend_from_slice(&[b'C', 0, 0, 0, 8, b'S', b'E', b'L', 0]);
        stream.extend_from_slice(&[b'Z', 0, 0, 0, 5, b'I']);
        for cut in 0..stream.len() {
            let mut f = Framing::default();
            f.feed(&stream[..cut]);
            let mid = !f.at_boundary() || f.last_tag != b'Z';
            f.feed(&stream[cut..]);
            assert!(f.ready(), "cut at {cut}");
            assert!(mid, "cut at {cut}: ready too early");
        }
    }
}
