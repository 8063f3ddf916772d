"""The classify stage: topics with explained scores, the taxonomy and its query language, the breaking decision."""
