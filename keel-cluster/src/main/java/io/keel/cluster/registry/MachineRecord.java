package io.keel.cluster.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a machine publishes about itself at {@code /keel/machines/<id>}, on its presence lease.
 *
 * @param id the machine id (32 hex characters when generated)
 * @param publicIP the address other machines reach it on
 * @param metadata free-form {@code key=value} pairs that {@code MachineMetadata=} matches
 * @param capacity what the machine offers to units that request resources
 * @param version the Keel version the machine runs
 * @param apiURL where the machine's node serves its API (journals and status are fetched there);
 *     empty when unknown
 */
public record MachineRecord(
        @JsonProperty("id") String id,
        @JsonProperty("publicIP") String publicIP,
        @JsonProperty("metadata") Map<String, String> metadata,
        @JsonProperty("capacity") Capacity capacity,
        @JsonProperty("version") String version,
        @JsonProperty("apiURL") String apiURL) {

    public MachineRecord(String id, String publicIP, Map<String, String> metadata, Capacity capacity, String version) {
        this(id, publicIP, metadata, capacity, version, "");
    }

    public MachineRecord withApiUrl(String url) {
        return new MachineRecord(id, publicIP, metadata, capacity, version, url);
    }

    public MachineRecord {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("machine id is empty");
        }
        publicIP = publicIP == null ? "" : publicIP;
        metadata = metadata == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(metadata));
        capacity = capacity == null ? Capacity.UNLIMITED : capacity;
        version = version == null ? "" : version;
        apiURL = apiURL == null ? "" : apiURL;
    }

    /** The first 8 characters of the id, as fleet shows machines. */
    public String shortId() {
        return id.length() <= 8 ? id : id.substring(0, 8);
    }

    /**
     * CPU in thousandths of a core and memory in bytes. Zero means "not declared": such a machine
     * accepts any request, as fleet's machines did.
     */
    public record Capacity(
            @JsonProperty("cpuMillis") long cpuMillis,
            @JsonProperty("memoryBytes") long memoryBytes) {

        public static final Capacity UNLIMITED = new Capacity(0, 0);

        public Capacity {
            if (cpuMillis < 0 || memoryBytes < 0) {
                throw new IllegalArgumentException("capacity must not be negative");
            }
        }
    }
}
