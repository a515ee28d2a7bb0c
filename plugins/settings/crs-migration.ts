/** The manual's N.B. under "CRS migration", said before every CRS change (Settings view and CLI). Imports nothing. */
export const CRS_MIGRATION_WARNING =
  'Users added after the change are directed to the new CRS at once, even for the current month, and cannot communicate ' +
  'with the users still on the old CRS until the next monthly update is applied.';
