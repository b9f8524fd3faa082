package io.keel.testkit.nemesis;

import io.keel.testkit.StoreCluster;
import io.keel.testkit.StoreClusterMember;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** One injected fault and how to undo it. */
sealed interface Fault {

    void inject(StoreCluster cluster);

    void heal(StoreCluster cluster);

    String describe();

    record Kill(String member) implements Fault {
        @Override
        public void inject(StoreCluster cluster) {
            cluster.member(member).kill9();
        }

        @Override
        public void heal(StoreCluster cluster) {
            StoreClusterMember m = cluster.member(member);
            if (!m.isAlive()) {
                m.start();
            }
        }

        @Override
        public String describe() {
            return "kill -9 " + member;
        }
    }

    record Pause(String member) implements Fault {
        @Override
        public void inject(StoreCluster cluster) {
            cluster.member(member).pause();
        }

        @Override
        public void heal(StoreCluster cluster) {
            StoreClusterMember m = cluster.member(member);
            if (m.isPaused()) {
                m.resume();
            }
        }

        @Override
        public String describe() {
            return "SIGSTOP " + member;
        }
    }

    record Partition(Set<String> side, Set<String> rest) implements Fault {
        public Partition {
            side = new TreeSet<>(side);
            rest = new TreeSet<>(rest);
        }

        @Override
        public void inject(StoreCluster cluster) {
            cluster.network().partition(side);
        }

        @Override
        public void heal(StoreCluster cluster) {
            for (String a : side) {
                for (String b : rest) {
                    cluster.network().heal(a, b);
                }
            }
        }

        @Override
        public String describe() {
            return "partition " + side + " | " + rest;
        }
    }

    record KillAll(List<String> members) implements Fault {
        @Override
        public void inject(StoreCluster cluster) {
            members.forEach(name -> cluster.member(name).kill9());
        }

        @Override
        public void heal(StoreCluster cluster) {
            List<StoreClusterMember> dead = members.stream().map(cluster::member).filter(m -> !m.isAlive()).toList();
            dead.forEach(StoreClusterMember::launch);
            dead.forEach(StoreClusterMember::awaitServing);
        }

        @Override
        public String describe() {
            return "kill -9 all of " + members;
        }
    }
}
