//! PostgreSQL protocol messages the transport reads and writes itself: the
//! TLS and GSS encryption requests, the startup packet, password messages and
//! the server's messages up to the end of authentication.

use super::errors::FrontError;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// The request code that asks the server for TLS.
pub const SSL_REQUEST: u32 = 80_877_103;
/// The request code that asks the server for GSS encryption.
pub const GSSENC_REQUEST: u32 = 80_877_104;
/// Longest message accepted before the session is open.
const MAX_STARTUP_MESSAGE: usize = 1 << 20;

/// A message from the server: its type byte and body (without the length).
#[derive(Debug)]
pub struct Message {
    /// The type byte (`R`, `E`, `S`, ...).
    pub tag: u8,
    /// The body.
    pub body: Vec<u8>,
}

impl Message {
    /// The whole message as it travels: tag, length, body.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.body.len() + 5);
        out.push(self.tag);
        out.extend_from_slice(&((self.body.len() + 4) as u32).to_be_bytes());
        out.extend_from_slice(&self.body);
        out
    }
}

/// An 8-byte request (TLS or GSS encryption).
pub fn request(code: u32) -> [u8; 8] {
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&8u32.to_be_bytes());
    out[4..].copy_from_slice(&code.to_be_bytes());
    out
}

/// Reads one server message.
pub async fn read_message<S: AsyncRead + Unpin>(s: &mut S) -> Result<Message, FrontError> {
    let mut head = [0u8; 5];
    s.read_exact(&mut head).await.map_err(lost)?;
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
    if !(4..=MAX_STARTUP_MESSAGE).contains(&len) {
        return Err(FrontError::Protocol(format!(
            "message `{}` of length {len}",
            head[0].escape_ascii()
        )));
    }
    let mut body = vec![0u8; len - 4];
    s.read_exact(&mut body).await.map_err(lost)?;
    Ok(Message { tag: head[0], body })
}

/// Reads a startup packet (length, then body) as the client sent it.
pub async fn read_startup<S: AsyncRead + Unpin>(s: &mut S) -> Result<Vec<u8>, FrontError> {
    let mut len = [0u8; 4];
    s.read_exact(&mut len)
        .await
        .map_err(|e| FrontError::Local(e.to_string()))?;
    let n = u32::from_be_bytes(len) as usize;
    if !(8..=MAX_STARTUP_MESSAGE).contains(&n) {
        return Err(FrontError::Local(format!("startup packet of length {n}")));
    }
    let mut out = len.to_vec();
    out.resize(n, 0);
    s.read_exact(&mut out[4..])
        .await
        .map_err(|e| FrontError::Local(e.to_string()))?;
    Ok(out)
}

/// Writes bytes and flushes them.
pub async fn send<S: AsyncWrite + Unpin>(s: &mut S, bytes: &[u8]) -> Result<(), FrontError> {
    s.write_all(bytes).await.map_err(lost)?;
    s.flush().await.map_err(lost)
}

/// A frontend message: tag, length, body.
pub fn frontend(tag: u8, body: &[u8]) -> Vec<u8> {
    Message {
        tag,
        body: body.to_vec(),
    }
    .encode()
}

/// A connection error as a [`FrontError`].
pub fn lost(e: std::io::Error) -> FrontError {
    FrontError::Lost(e.to_string())
}

/// The fields of an ErrorResponse or NoticeResponse body.
pub fn error_fields(body: &[u8]) -> Vec<(u8, String)> {
    body.split(|b| *b == 0)
        .filter(|f| !f.is_empty())
        .map(|f| (f[0], String::from_utf8_lossy(&f[1..]).into_owned()))
        .collect()
}

/// An ErrorResponse body as a [`FrontError::Server`].
pub fn server_error(body: &[u8]) -> FrontError {
    let fields = error_fields(body);
    let get = |t: u8| {
        fields
            .iter()
            .find(|(k, _)| *k == t)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    FrontError::Server {
        code: get(b'C'),
        message: get(b'M'),
    }
}

/// An ErrorResponse, as the server would send it, for the driver.
pub fn error_response(code: &str, message: &str) -> Vec<u8> {
    let mut body = Vec::new();
    for (tag, value) in [
        (b'S', "FATAL"),
        (b'V', "FATAL"),
        (b'C', code),
        (b'M', message),
    ] {
        body.push(tag);
        body.extend_from_slice(value.as_bytes());
        body.push(0);
    }
    body.push(0);
    Message { tag: b'E', body }.encode()
}

/// The body's first four bytes as a big-endian integer.
pub fn be_u32(body: &[u8]) -> Result<u32, FrontError> {
    body.get(..4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| FrontError::Protocol("short message".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_responses_round_trip() {
        let bytes = error_response("08006", "connection lost");
        assert_eq!(bytes[0], b'E');
        let len = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]) as usize;
        assert_eq!(len + 1, bytes.len());
        match server_error(&bytes[5..]) {
            FrontError::Server { code, message } => {
                assert_eq!(code, "08006");
                assert_eq!(message, "connection lost");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(request(SSL_REQUEST), [0, 0, 0, 8, 4, 210, 22, 47]);
    }
}
