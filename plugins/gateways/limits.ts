/** Limits on a gateway's crypto engines. Pure (no imports), so the view shares them with the service. */

/** Manual, "Add a Gateway (CIG)": "it is not possible to assign less than three Crypto Engines to a single gateway". */
export const MIN_ENGINES = 3;
/** Our own limit: one initiation letter page per engine, and a number an administrator can count. */
export const MAX_ENGINES = 64;
