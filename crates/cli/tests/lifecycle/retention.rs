pub const ALL: &[crate::Story] = &[];
