const knex = require('knex')({client:'better-sqlite3', connection:{filename:':memory:'}, useNullAsDefault:true});
(async()=>{
 await knex.migrate.up({directory: __dirname+'/migrations'});
 const row = s=>({entity_ref:'a',environment:'s',version:'1',kind:'deploy',status:s,target_id:'l',requested_by:'u',created_at:Date.now()});
 await knex('ownops_deployments').insert(row('running'));
 try { await knex('ownops_deployments').insert(row('queued')); console.log('no throw'); } catch(e){ console.log('threw', e.code); }
 console.log(await knex('ownops_deployments').select('id','status'));
})();
