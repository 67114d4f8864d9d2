from planning.views.plans import plan_access_page, plan_create, plan_delete, plan_detail, plan_edit, plan_revoke_access

__all__ = ["plan_create", "plan_detail", "plan_edit", "plan_delete", "plan_access_page", "plan_revoke_access"]
