import json,sys,subprocess,collections
f=sys.argv[1]; depth=int(sys.argv[2]) if len(sys.argv)>2 else 6; thread=sys.argv[3] if len(sys.argv)>3 else None
out=subprocess.run(['/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr','print','--json','--stack-depth','20','--events','jdk.ObjectAllocationSample',f],capture_output=True,text=True).stdout
ev=json.loads(out)['recording']['events']
agg=collections.Counter(); tot=0; seen=set()
ev.sort(key=lambda e:e['values']['startTime'])
for e in ev:
  v=e['values']; w=v['weight']; t=(v['eventThread']['javaName'],v['eventThread']['javaThreadId'])
  if t not in seen: seen.add(t); continue
  if thread and thread not in t[0]: continue
  tot+=w
  fr=v['stackTrace']['frames'] if v.get('stackTrace') else []
  key=' < '.join(x['method']['type']['name'].split('.')[-1]+'.'+x['method']['name'] for x in fr[:depth])
  agg[(v['objectClass']['name'].split('.')[-1],key)]+=w
for (c,k),w in agg.most_common(25): print('%5.1f%% %-22s %s'%(100*w/tot,c[:22],k))
