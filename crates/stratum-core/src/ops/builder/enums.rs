//! Enum types: create, drop, add and rename values.

use super::{Ops, strings};
use crate::ops::Op;
use crate::schema::EnumType;

impl Ops {
    /// `CREATE TYPE name AS ENUM (values)`.
    pub fn create_enum<I, S>(&mut self, name: impl Into<String>, values: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.ops.push(Op::CreateEnum(EnumType {
            name: name.into(),
            values: strings(values),
        }));
    }

    /// `DROP TYPE name`.
    pub fn drop_enum(&mut self, name: impl Into<String>) {
        self.ops.push(Op::DropEnum { name: name.into() });
    }

    /// `ALTER TYPE name ADD VALUE 'value'`; place it with `.before()` / `.after()`.
    pub fn add_enum_value(
        &mut self,
        enum_name: impl Into<String>,
        value: impl Into<String>,
    ) -> EnumValueBuilder<'_> {
        self.ops.push(Op::AddEnumValue {
            enum_name: enum_name.into(),
            value: value.into(),
            before: None,
            after: None,
        });
        match self.last_mut() {
            Op::AddEnumValue { before, after, .. } => EnumValueBuilder { before, after },
            _ => unreachable!(),
        }
    }

    /// `ALTER TYPE name RENAME VALUE 'from' TO 'to'`.
    pub fn rename_enum_value(
        &mut self,
        enum_name: impl Into<String>,
        from: impl Into<String>,
        to: impl Into<String>,
    ) {
        self.ops.push(Op::RenameEnumValue {
            enum_name: enum_name.into(),
            from: from.into(),
            to: to.into(),
        });
    }
}

/// Places a new enum value.
#[derive(Debug)]
pub struct EnumValueBuilder<'a> {
    before: &'a mut Option<String>,
    after: &'a mut Option<String>,
}

impl EnumValueBuilder<'_> {
    /// Place the new value before this one.
    pub fn before(self, value: impl Into<String>) -> Self {
        *self.before = Some(value.into());
        *self.after = None;
        self
    }

    /// Place the new value after this one.
    pub fn after(self, value: impl Into<String>) -> Self {
        *self.after = Some(value.into());
        *self.before = None;
        self
    }
}
