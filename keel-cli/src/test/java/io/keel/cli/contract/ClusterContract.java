package io.keel.cli.contract;

import static io.keel.cli.contract.Wire.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.cluster.Member;
import io.etcd.jetcd.cluster.MemberListResponse;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Cluster: the member list of a single-member store. Member ids are not compared across servers. */
public interface ClusterContract extends StoreFixture {

    @Test
    default void memberListShowsThisMember() {
        MemberListResponse list = await(client().getClusterClient().listMember());
        assertThat(list.getMembers()).hasSize(1);
        Member self = list.getMembers().get(0);
        assertThat(self.getName()).isEqualTo("default");
        assertThat(self.getId()).isNotZero();
        assertThat(self.getClientURIs()).containsExactly(URI.create(store().endpoint()));
        assertThat(self.getPeerURIs()).hasSize(1);
        assertThat(self.getPeerURIs().get(0).toString()).startsWith("http://127.0.0.1:");
        assertThat(self.isLearner()).isFalse();
        assertThat(list.getHeader().getMemberId()).isEqualTo(self.getId());
        assertThat(list.getHeader().getClusterId()).isNotZero();
    }
}
