//! Standalone sequences.

use super::Ops;
use crate::ops::Op;
use crate::schema::Sequence;

impl Ops {
    /// `CREATE SEQUENCE name START start INCREMENT increment`.
    pub fn create_sequence(&mut self, name: impl Into<String>, start: i64, increment: i64) {
        self.ops.push(Op::CreateSequence(Sequence {
            name: name.into(),
            start,
            increment,
        }));
    }

    /// `DROP SEQUENCE name`.
    pub fn drop_sequence(&mut self, name: impl Into<String>) {
        self.ops.push(Op::DropSequence { name: name.into() });
    }
}
