/** How every slug in a public address is written (issuers, offerings, projects): lowercase words joined by hyphens. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A path segment that could be a slug; anything else names nothing, and is not looked up. */
export const isSlug = (value: string): boolean => value.length <= 100 && SLUG.test(value);
