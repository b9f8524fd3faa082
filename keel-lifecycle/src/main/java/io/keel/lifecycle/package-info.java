/**
 * The machine lifecycle: the locksmith-compatible reboot lock ({@code locksmith/}) and the update
 * engine with A/B slots ({@code update/}). Both use the store only through the etcd v3 API.
 */
package io.keel.lifecycle;
